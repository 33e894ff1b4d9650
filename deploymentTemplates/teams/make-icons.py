#!/usr/bin/env python3
"""Writes the Teams app icons (no image library needed): color.png, 192x192, a white "A" on the brand colour;
outline.png, 32x32, the same "A" in white on transparent (Teams requires exactly those sizes and an outline of
white and transparency only). Run it again only to change the design; the PNGs are committed."""
import struct
import zlib
from pathlib import Path

BRAND = (0x1F, 0x5F, 0xA8, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)


def letter_a(x: float, y: float) -> bool:
    """A unit-square "A": two slanted strokes and a bar (coordinates 0..1, y down)."""
    if not (0.18 <= y <= 0.84):
        return False
    t = (y - 0.18) / 0.66
    left = 0.5 - 0.3 * t
    right = 0.5 + 0.3 * t
    stroke = 0.11
    on_left = left - stroke / 2 <= x <= left + stroke / 2
    on_right = right - stroke / 2 <= x <= right + stroke / 2
    on_bar = 0.56 <= y <= 0.64 and left <= x <= right
    return on_left or on_right or on_bar


def png(size: int, background, path: Path) -> None:
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # filter: none
        for i in range(size):
            rows.extend(WHITE if letter_a((i + 0.5) / size, (j + 0.5) / size) else background)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


here = Path(__file__).resolve().parent
png(192, BRAND, here / "color.png")
png(32, CLEAR, here / "outline.png")
