#!/usr/bin/env python3
"""Draws the kernelspec logos (Kernelspec/glimpse/logo-32x32.png, logo-64x64.png) with the standard library only.

The logo is an eye: a white almond on a deep-blue disc, with a heat-coloured iris (the Grad-CAM look).
Run from the repository root: python3 scripts/assets/make_logos.py
"""
import math
import struct
import zlib


def png(width, height, rows):
    """Encodes RGBA rows (lists of (r, g, b, a)) as a PNG file's bytes."""
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def jet(t):
    """matplotlib's jet colormap, piecewise linear."""
    r = min(max(1.5 - abs(4 * t - 3), 0), 1)
    g = min(max(1.5 - abs(4 * t - 2), 0), 1)
    b = min(max(1.5 - abs(4 * t - 1), 0), 1)
    return r, g, b


def pixel(x, y, size):
    """Colour of the logo at (x, y) in [0, 1] coordinates, with 4x4 supersampling done by the caller."""
    cx, cy = x - 0.5, y - 0.5
    r = math.hypot(cx, cy)
    if r > 0.48:
        return (0, 0, 0, 0)
    colour = (0.09, 0.16, 0.35)
    # Almond: inside two circles offset vertically.
    if math.hypot(cx, cy - 0.42) < 0.62 and math.hypot(cx, cy + 0.42) < 0.62:
        colour = (0.97, 0.97, 0.97)
        if r < 0.17:
            colour = jet(1 - r / 0.17 * 0.8)
        if r < 0.05:
            colour = (0.05, 0.05, 0.05)
    return tuple(c for c in colour) + (1.0,)


def logo(size):
    rows = []
    for j in range(size):
        row = []
        for i in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sj in range(4):
                for si in range(4):
                    p = pixel((i + (si + 0.5) / 4) / size, (j + (sj + 0.5) / 4) / size, size)
                    for k in range(3):
                        acc[k] += p[k] * p[3]
                    acc[3] += p[3]
            a = acc[3] / 16
            rgb = [int(round(255 * acc[k] / acc[3])) if acc[3] else 0 for k in range(3)]
            row.append((rgb[0], rgb[1], rgb[2], int(round(255 * a))))
        rows.append(row)
    return png(size, size, rows)


for size in (32, 64):
    with open(f"Kernelspec/glimpse/logo-{size}x{size}.png", "wb") as f:
        f.write(logo(size))
