"""Rendering: the engine (which backend, which GL kernel), the pipeline from a request to a written picture, probes
as pictures, the hidden states behind them, sheets of tiles and progress."""
