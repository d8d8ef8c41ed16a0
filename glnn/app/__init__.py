"""The live window: the viewer app (toolkit-free, testable offscreen), its controls (keys as named actions), the
HUD, the frame scheduler, and the thin GLFW adapter (window)."""
