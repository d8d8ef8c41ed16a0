"""The weight layouts the kernels read (glnn/gl/packing.py), checked element by element."""
import numpy as np

from glnn import Network
from glnn.gl import packing


def test_pack_weights_layout():
    net = Network(seed=1, depth=2, width=5, inputs=3)
    tex, offsets = packing.pack_weights(net)
    flat = tex.reshape(-1, 4)
    W0 = net.layers[0].W  # (5, 3): 2 output groups x 1 input group
    # block (o=1, j=0), column k=2 holds W[4:8, 2] padded
    np.testing.assert_array_equal(flat[offsets[0] + 4 * 1 + 2], [W0[4, 2], 0, 0, 0])
    # biases after the 2 blocks of 4 texels
    np.testing.assert_array_equal(flat[offsets[0] + 8], net.layers[0].b[:4])
    assert offsets[1] == 8 + 2


def test_pack_rows_layout():
    net = Network(seed=1, depth=2, width=5, inputs=3, channels=1)
    texels, offsets, largest = packing.pack_rows(net)
    W1 = net.layers[1].W     # (1, 5)
    W0 = net.layers[0].W     # (5, 3)
    np.testing.assert_array_equal(texels[offsets[0] + 4], [W0[4, 0], W0[4, 1], W0[4, 2], 0])
    # 5 rows padded to 8, one texel each, then 2 bias texels
    np.testing.assert_array_equal(texels[offsets[0] + 8], net.layers[0].b[:4])
    assert offsets[1] == 10
    # the readout: one real row of 2 texels, 3 zero rows, then one bias texel
    np.testing.assert_array_equal(texels[offsets[1] + 1], [W1[0, 4], 0, 0, 0])
    assert not texels[offsets[1] + 2:offsets[1] + 8].any()
    assert texels[offsets[1] + 8][0] == net.layers[1].b[0]
    assert largest == 10 == packing.shared_texels(net)


def test_pack_gemm_layout():
    net = Network(seed=2, depth=3, width=4, inputs=2, channels=3)
    flat, offsets = packing.pack_gemm(net)
    for i, layer in enumerate(net.layers):
        n, k = layer.W.shape
        np.testing.assert_array_equal(flat[offsets[i]:offsets[i] + k * n].reshape(k, n), layer.W.T)
        np.testing.assert_array_equal(flat[offsets[i] + k * n:offsets[i] + k * n + n], layer.b)
    assert len(flat) == offsets[-1] + net.layers[-1].W.size + 3


def test_input_groups_hold_the_extra_inputs():
    net = Network(seed=3, inputs=7)
    g = packing.input_groups(net, 1.5)
    assert g.shape == (4, 4) and g[0, 0] == g[0, 1] == 0
    np.testing.assert_array_equal(g.ravel()[2:7], net.extra_inputs(1.5))
