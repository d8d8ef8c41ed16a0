"""The backends: each renders a network in a view to float32 (H, W, C) through one protocol (base.Backend).

reference.py (float64 numpy, the oracle), cpu.py (float32 numpy on every core) and glnn/gl/backend.py
(GLSL). Their registry (names, descriptions, capabilities) is registry.py; the choice among them is
glnn/rendering/engine.py's.
"""
