"""The model: what a network, a view and a picture's colours are, as data and pure numpy (docs/contract.md).

network (the random network: seed, hyperparameters, weights), architecture (its inputs and layers as data),
activations and inits (the tables every backend, shader and page reads), view (the rectangle of the plane),
colour and palettes (the colour stage), probe (what a probe is), theory (mean-field order and chaos).
Nothing here reads or writes a file, touches GL or imports PIL.
"""
