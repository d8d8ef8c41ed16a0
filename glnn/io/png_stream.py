"""A PNG written band by band: memory stays at one band however large the picture (`glnn render` of 16384 x 16384,
`glnn grid` sheets of thousands of cells). 8-bit gray or RGB, the recipe in the zTXt chunk glnn pictures use
(glnn/io/metadata.py), written before the pixels so readers find it without decoding them. A leaf module.
"""
from __future__ import annotations

import struct
import zlib
from typing import BinaryIO, Optional

import numpy as np

from . import metadata

LEVEL = 6          # zlib level: what Pillow uses by default
IDAT_BYTES = 1 << 20


def _chunk(f: BinaryIO, kind: bytes, data: bytes) -> None:
    f.write(struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


class PNGStream:
    """Rows in order, top to bottom: write(rows) with rows uint8 (n, width) or (n, width, channels); close() checks
    that every row came. The file object is the caller's (glnn.io.files.atomic_path gives a temporary one)."""

    def __init__(self, f: BinaryIO, width: int, height: int, channels: int, recipe: Optional[dict] = None):
        if channels not in (1, 3):
            raise ValueError("PNGStream writes gray or RGB")
        self.f, self.width, self.height, self.channels = f, width, height, channels
        self.rows = 0
        self._z = zlib.compressobj(LEVEL)
        self._pending = bytearray()
        f.write(b"\x89PNG\r\n\x1a\n")
        _chunk(f, b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0 if channels == 1 else 2, 0, 0, 0))
        if recipe is not None:   # one zTXt chunk, or parts of at most 1 MB each (what Pillow reads)
            for key, part in metadata.text_parts(metadata.dumps(recipe)):
                text = part.encode("latin-1", "replace")
                _chunk(f, b"zTXt", key.encode("latin-1") + b"\x00\x00" + zlib.compress(text, 9))

    def write(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, np.uint8).reshape(-1, self.width * self.channels)
        if self.rows + len(rows) > self.height:
            raise ValueError("more rows than the picture has")
        raw = np.zeros((len(rows), 1 + rows.shape[1]), np.uint8)   # filter byte 0 (none) on each row
        raw[:, 1:] = rows
        self._pending += self._z.compress(raw.tobytes())
        self.rows += len(rows)
        self._flush(IDAT_BYTES)

    def _flush(self, at_least: int) -> None:
        while len(self._pending) >= max(1, at_least):
            _chunk(self.f, b"IDAT", bytes(self._pending[:IDAT_BYTES]))
            del self._pending[:IDAT_BYTES]

    def close(self) -> None:
        if self.rows != self.height:
            raise ValueError(f"{self.rows} of {self.height} rows written")
        self._pending += self._z.flush()
        self._flush(1)
        _chunk(self.f, b"IEND", b"")
