"""The package's rooms, lowest first: a module may import its own room and the rooms below it, never one above
(tests/unit/test_rooms.py). One description, read by the rooms test and the cycle test (test_structure.py)."""

ROOMS = (
    "base",       # glnn/errors.py, glnn/version.py: what every room may use
    "model",      # the network, its architecture, activations, inits, view, colour, probe descriptions, theory
    "backends",   # numpy evaluation: the reference and the cpu backend, the backend registry
    "io",         # recipes, saved networks, metadata, picture/animation/plot/HTML writers
    "gl",         # every GL call
    "rendering",  # engine, pipeline, probes as pictures, hidden states, sheets, progress, the Python API
    "explore",    # grids, batches, animations, layer and picture statistics, propagation, phase diagram
    "app",        # the live window
    "web",        # exported pages, Shadertoy, notebook widget, playground (and the JS beside them)
    "article",    # the article's figures and gallery
    "tools",      # glnn/bench.py: times every room
    "cli",        # one module per command; glnn/__main__.py
)
# top-level modules and their room (the package face glnn/__init__.py loads the rest lazily: it is no room)
TOP = {"errors": "base", "version": "base", "bench": "tools", "__main__": "cli"}

# Late imports that run upward, each inside one function, with its reason. Nothing else may.
LATE = {
    ("glnn.model.network", "glnn.io.saved_network"): "Network.save/load/from_image: API sugar over the file format",
    ("glnn.model.network", "glnn.web.notebook"): "Network._repr_png_: a notebook's preview of a network",
}


def room_of(module: str) -> str:
    """The room of a module 'glnn.x.y' (None for the package face)."""
    parts = module.split(".")
    if module == "glnn":
        return None
    if len(parts) == 2 and parts[1] not in ROOMS:
        return TOP.get(parts[1], "unplaced:" + parts[1])
    return parts[1] if parts[1] in ROOMS else "unplaced:" + parts[1]
