"""A saved network's view fields are checked as the view flags are: a tampered file is one GlnnError naming it."""
import io
import json

import numpy as np
import pytest

from glnn import Network
from glnn.io import saved_network
from glnn.errors import GlnnError


def saved_with(**fields):
    arrays = saved_network._arrays(Network(depth=3, width=4))
    spec = dict(json.loads(str(arrays["spec"])), **fields)
    arrays["spec"] = np.array(json.dumps(spec))
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    buf.seek(0)
    return buf


@pytest.mark.parametrize("fields", [dict(center=5), dict(center="ab"), dict(center=[1]), dict(center=["a", "b"]),
                                    dict(center=[10 ** 400, 0]), dict(extent=10 ** 400), dict(extent=True),
                                    dict(time="0"), dict(extent=0)])
def test_a_tampered_saved_view_is_one_error_naming_the_file(fields):
    # a 400-digit number is refused while the spec is parsed (glnn/io/safe_json.py), the rest by the view's checks
    with pytest.raises(GlnnError, match="'t.npz'(: the saved view| is not a glnn network file: .*a number of)"):
        saved_network.read_saved(saved_with(**fields), "t.npz")


def test_a_saved_view_reads_back():
    net, view = saved_network.read_saved(saved_with(center=[0.5, -1], extent=3, time=1.5), "t.npz")
    assert view == {"center": [0.5, -1], "extent": 3, "time": 1.5} and net.depth == 3
