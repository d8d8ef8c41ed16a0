"""glnn/rendering/sheet.py, the one sheet compositor (figures' grids, glnn grid's sheets, the units probe): geometry,
bands that make up the whole sheet one row at a time, labels under cells, gray cells in colour sheets."""

import numpy as np
import pytest
from PIL import Image

from glnn.rendering import sheet
from glnn.rendering.sheet import Layout, bands, compose, text_strip


def cells(n, w, h, channels=3, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 255, (h, w, channels), dtype=np.uint8) for _ in range(n)]


@pytest.mark.parametrize("count,cols,gutter,margin,left,top,below", [
    (7, 3, 4, 0, 0, 0, 0), (9, 3, 6, 0, 0, 0, 17), (12, 4, 2, 2, 30, 41, 0), (5, 5, 3, 3, 0, 25, 15), (1, 1, 8, 0, 0, 0, 0)])
def test_cells_sit_where_the_layout_says(count, cols, gutter, margin, left, top, below):
    w, h = 11, 7
    layout = Layout(count, cols, (w, h), gutter, margin=margin, left=left, top=top, below=below)
    rows = -(-count // cols)
    W, H = layout.size
    assert (W, H) == (left + 2 * margin + cols * w + (cols - 1) * gutter,
                      top + 2 * margin + rows * (h + below) + (rows - 1) * gutter)
    pics = cells(count, w, h)
    strips = [np.full((top, W, 3), 9, np.uint8)] if top else []
    out = compose(layout, pics, strips=strips)
    assert out.shape == (H, W, 3)
    mask = np.zeros((H, W), bool)
    for i, p in enumerate(pics):
        x, y, ww, hh = layout.rect(i)
        assert (ww, hh) == (w, h) and x + w <= W and y + h <= H
        np.testing.assert_array_equal(out[y:y + h, x:x + w], p)
        mask[y:y + h, x:x + w] = True
    mask[:top] = True
    np.testing.assert_array_equal(out[:top], 9)
    assert (out[~mask] == 255).all()    # everything else is the white background


def test_bands_are_rows_of_cells_and_make_the_whole_sheet():
    layout = Layout(10, 4, (5, 6), 3, margin=3, below=4)
    seen = []
    parts = list(bands(layout, iter(cells(10, 5, 6)), done=seen.append))
    assert seen == list(range(1, 11))
    assert [len(p) for p in parts] == [3] + [layout.band(r)[1] - layout.band(r)[0] for r in range(3)]
    assert sum(len(p) for p in parts) == layout.size[1]
    # one row of cells at a time: the cells are taken only as their band is made
    taken = []

    def lazy():
        for i, c in enumerate(cells(10, 5, 6)):
            taken.append(i)
            yield c
    it = bands(layout, lazy())
    next(it), next(it)
    assert taken == [0, 1, 2, 3]


def test_a_frame_larger_than_the_cells_stays_background():
    layout = Layout(5, 2, (4, 3), 2, margin=2, frame=(20, 30))
    out = compose(layout, [np.zeros((3, 4)) for _ in range(5)], channels=1, dtype=np.float32, fill=1.0)
    assert out.shape == (30, 20, 1) and out.dtype == np.float32
    assert out.sum() == 20 * 30 - 5 * 12    # five black tiles on white


def test_gray_cells_fill_every_channel():
    layout = Layout(2, 2, (3, 2), 1)
    out = compose(layout, [np.full((2, 3), 7, np.uint8), np.full((2, 3, 1), 9, np.uint8)])
    assert (out[:, :3] == 7).all() and (out[:, 4:] == 9).all() and (out[:, 3] == 255).all()


def test_labels_go_under_their_cell_and_are_cut_at_the_sheet():
    layout = Layout(4, 2, (10, 8), 5, below=6)
    label = lambda i: np.full((30, 10, 3), i, np.uint8)   # taller than the strip and gutter: cut   # noqa: E731
    out = compose(layout, cells(4, 10, 8), cell_label=label)
    for i in range(4):
        x, y, w, h = layout.rect(i)
        band_end = layout.band(i // 2)[1]
        assert (out[y + h:band_end, x:x + w] == i).all()
    assert out.shape[0] == layout.size[1]


def test_row_labels_sit_left_of_their_row():
    layout = Layout(4, 2, (6, 5), 2, margin=2, left=9)
    out = compose(layout, cells(4, 6, 5), row_label=lambda r: np.full((5, 9, 3), 50 + r, np.uint8))
    for r in range(2):
        y = layout.rect(2 * r)[1]
        assert (out[y:y + 5, :9] == 50 + r).all()


def test_text_strips_are_white_with_the_text():
    s = text_strip(60, 16, [((30, 8), "seed 3")], 11)
    assert s.shape == (16, 60, 3) and s.dtype == np.uint8
    assert (s < 200).any() and (s[:, :5] == 255).all()
    assert (text_strip(60, 16, [], 11) == 255).all()


def test_write_png_streams_the_bands(tmp_path):
    layout = Layout(3, 3, (4, 4), 1, margin=1)
    pics = cells(3, 4, 4)
    sheet.write_png(tmp_path / "s.png", layout, bands(layout, pics), {"format": "x", "cells": []})
    got = np.asarray(Image.open(tmp_path / "s.png").convert("RGB"))
    np.testing.assert_array_equal(got, compose(layout, pics))
