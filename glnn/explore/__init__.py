"""Exploring many pictures: grids and batches (workers, Dask), animations, layer statistics, picture
statistics, signal propagation and the phase diagram."""
