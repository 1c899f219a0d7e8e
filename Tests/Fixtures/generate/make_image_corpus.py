#!/usr/bin/env python3
"""Makes the small image corpus that Tests/ImagingTests decodes, with Pillow's answers.

Run from the package root (Python 3 with Pillow and numpy in a venv):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pillow numpy
    /tmp/venv/bin/python Tests/Fixtures/generate/make_image_corpus.py

Writes Tests/ImagingTests/Fixtures/corpus/: PNGs of every colour type and bit depth (written by
the minimal encoder below, so that 16-bit colour, Adam7 interlacing and all five row filters
are covered, which Pillow cannot write), JPEGs written by Pillow (baseline, progressive, grey,
CMYK, subsamplings, all eight EXIF orientations), damaged files, and for each good file the RGB
pixels Pillow decodes, as raw bytes (`<name>.rgb`, rows top first), listed in manifest.json.

`--large PATH` also writes a 4000x3000 (12 megapixel) JPEG for timing; it is not committed.
"""
import argparse
import io
import json
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image, ImageOps, features

OUT = "Tests/ImagingTests/Fixtures/corpus"
W, H = 23, 17  # PNG size: odd, non-square, not a multiple of 8 (Adam7 passes are ragged)
JW, JH = 40, 28  # JPEG size: not a multiple of the 16x16 MCU


# ---------- a minimal PNG writer (own code, from the PNG specification) ----------

def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_rows(raw_rows, bpp, first_filter):
    """Filters each packed row, cycling through filter types 0..4 from first_filter."""
    out, prev = bytearray(), bytes(len(raw_rows[0])) if raw_rows else b""
    for y, row in enumerate(raw_rows):
        kind = (first_filter + y) % 5
        line = bytearray()
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
            line.append((x - pred) & 0xFF)
        out += bytes([kind]) + line
        prev = row
    return bytes(out)


def pack_row(samples, depth):
    """Packs one row of integer samples (already interleaved) at `depth` bits, big-endian."""
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    if depth == 8:
        return bytes(int(v) for v in samples)
    out, acc, bits = bytearray(), 0, 0
    for v in samples:
        acc = (acc << depth) | int(v)
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(path, samples, color_type, depth, interlace=False, palette=None, trns=None, gamma=None):
    """samples: [H, W, channels] integers in 0..2^depth-1 (palette indices for colour type 3)."""
    h, w, ch = samples.shape
    bpp = max(1, ch * depth // 8)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0)
    if interlace:
        data = b""
        for n, (x0, y0, dx, dy) in enumerate(ADAM7):
            sub = samples[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                rows = [pack_row(r.reshape(-1), depth) for r in sub]
                data += filter_rows(rows, bpp, n)
    else:
        data = filter_rows([pack_row(r.reshape(-1), depth) for r in samples], bpp, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if gamma is not None:
        png += chunk(b"gAMA", struct.pack(">I", gamma))
    if palette is not None:
        png += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        png += chunk(b"tRNS", trns)
    compressed = zlib.compress(data, 9)
    # Two IDAT chunks, so a decoder must join them.
    png += chunk(b"IDAT", compressed[: len(compressed) // 2]) + chunk(b"IDAT", compressed[len(compressed) // 2:])
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


# ---------- content ----------

def photo_like(w, h, seed):
    """Smooth colour gradients, a disc and a little noise: compresses like a photo."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * x / max(w - 1, 1)
    g = 255 * y / max(h - 1, 1)
    b = 128 + 100 * np.sin(x / 3.0) * np.cos(y / 4.0)
    disc = (x - w * 0.6) ** 2 + (y - h * 0.4) ** 2 < (min(w, h) * 0.3) ** 2
    r[disc], g[disc], b[disc] = 240, 30, 60
    img = np.stack([r, g, b], -1) + rng.normal(0, 6, (h, w, 3))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def expected_rgb(path, transpose=True):
    """What Pillow returns: open, EXIF-transpose (JPEG), convert("RGB")."""
    im = Image.open(path)
    im.load()
    if transpose:
        im = ImageOps.exif_transpose(im)
    if im.mode == "I;16":
        # NB: Pillow clips 16-bit grey to 0..255 when converting to RGB (values > 255 go white).
        # Glimpse keeps the high byte, as Pillow itself does for 16-bit RGB: compare with that.
        v = (np.asarray(im).astype(np.uint32) >> 8).astype(np.uint8)
        return np.repeat(v[..., None], 3, -1), "16-bit grey: high byte (Pillow clips instead)"
    return np.asarray(im.convert("RGB")), None


def expected_white(path):
    """Alpha composited over white, with Pillow."""
    im = Image.open(path).convert("RGBA")
    white = Image.new("RGBA", im.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, im).convert("RGB"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--large", help="also write a 4000x3000 JPEG here (for timing)")
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "bad"), exist_ok=True)
    rng = np.random.default_rng(2024)
    entries = []

    def record(name, kind, tolerance, expected=None, note=None, orientation="apply", transparency="drop"):
        path = os.path.join(args.out, name)
        if expected is None:
            expected, auto_note = expected_rgb(path, transpose=orientation == "apply")
            note = note or auto_note
        stem = os.path.splitext(name)[0] + ("" if transparency == "drop" else "-white") + (
            "" if orientation == "apply" else "-stored")
        expected = np.ascontiguousarray(expected, dtype=np.uint8)
        with open(os.path.join(args.out, stem + ".rgb"), "wb") as f:
            f.write(expected.tobytes())
        entries.append({"file": name, "expected": stem + ".rgb", "kind": kind,
                        "width": int(expected.shape[1]), "height": int(expected.shape[0]),
                        "tolerance": tolerance, "orientation": orientation,
                        "transparency": transparency, "note": note})

    rgb = photo_like(W, H, 1)
    grey = rgb.mean(-1).astype(np.int64)
    alpha = rng.integers(0, 256, (H, W, 1))
    # ----- PNG: colour type x bit depth -----
    for depth in (1, 2, 4, 8, 16):
        v = grey >> (8 - depth) if depth <= 8 else grey * 256 + rng.integers(0, 256, grey.shape)
        write_png(os.path.join(args.out, f"grey{depth}.png"), v[..., None], 0, depth)
        record(f"grey{depth}.png", "png", 0)
    for depth in (8, 16):
        v = rgb.astype(np.int64) if depth == 8 else rgb.astype(np.int64) * 256 + rng.integers(0, 256, rgb.shape)
        write_png(os.path.join(args.out, f"rgb{depth}.png"), v, 2, depth)
        record(f"rgb{depth}.png", "png", 0)
        a = alpha if depth == 8 else alpha * 257
        write_png(os.path.join(args.out, f"rgba{depth}.png"), np.concatenate([v, a], -1), 6, depth)
        record(f"rgba{depth}.png", "png", 0)
        g = grey[..., None] if depth == 8 else grey[..., None] * 257
        write_png(os.path.join(args.out, f"greyalpha{depth}.png"), np.concatenate([g, a], -1), 4, depth)
        record(f"greyalpha{depth}.png", "png", 0)
    for depth in (1, 2, 4, 8):
        n = 1 << depth
        palette = rng.integers(0, 256, (n, 3))
        index = rng.integers(0, n, (H, W, 1))
        write_png(os.path.join(args.out, f"palette{depth}.png"), index, 3, depth, palette=palette)
        record(f"palette{depth}.png", "png", 0)
    palette = rng.integers(0, 256, (16, 3))
    index = rng.integers(0, 16, (H, W, 1))
    trns = bytes(rng.integers(0, 256, 16).astype(np.uint8))
    write_png(os.path.join(args.out, "palette4-trns.png"), index, 3, 4, palette=palette, trns=trns)
    record("palette4-trns.png", "png", 0)
    # Interlaced, and a gAMA chunk that must be ignored (PIL ignores it).
    write_png(os.path.join(args.out, "rgb8-interlaced.png"), rgb.astype(np.int64), 2, 8, interlace=True)
    record("rgb8-interlaced.png", "png", 0)
    write_png(os.path.join(args.out, "palette2-interlaced.png"), rng.integers(0, 4, (H, W, 1)), 3, 2,
              interlace=True, palette=rng.integers(0, 256, (4, 3)))
    record("palette2-interlaced.png", "png", 0)
    write_png(os.path.join(args.out, "rgba16-interlaced.png"),
              np.concatenate([rgb.astype(np.int64) * 256 + 255, alpha * 257], -1), 6, 16, interlace=True)
    record("rgba16-interlaced.png", "png", 0)
    write_png(os.path.join(args.out, "rgb8-gamma1.png"), rgb.astype(np.int64), 2, 8, gamma=100000)
    record("rgb8-gamma1.png", "png", 0, note="gAMA 1.0 is ignored, as Pillow ignores it")
    # Alpha over white (Pillow's alpha_composite rounds differently from Glimpse's exact rule).
    for name in ("rgba8.png", "greyalpha8.png", "palette4-trns.png"):
        record(name, "png", 1, expected=expected_white(os.path.join(args.out, name)), transparency="white")

    # ----- JPEG, written and decoded by Pillow -----
    photo = Image.fromarray(photo_like(JW, JH, 2))
    jpeg_tolerance = 3  # Pillow's bundled libjpeg-turbo vs the system one: a few levels at most
    variants = {
        "baseline420.jpg": dict(quality=90),
        "baseline444.jpg": dict(quality=90, subsampling=0),
        "baseline422.jpg": dict(quality=90, subsampling=1),
        "progressive.jpg": dict(quality=90, progressive=True),
    }
    for name, kw in variants.items():
        photo.save(os.path.join(args.out, name), **kw)
        record(name, "jpeg", jpeg_tolerance)
    photo.convert("L").save(os.path.join(args.out, "grey.jpg"), quality=90)
    record("grey.jpg", "jpeg", jpeg_tolerance)
    photo.convert("CMYK").save(os.path.join(args.out, "cmyk.jpg"), quality=90)
    record("cmyk.jpg", "jpeg", jpeg_tolerance, note="Adobe inverted CMYK, converted as Pillow does")
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        name = f"exif{orientation}.jpg"
        photo.save(os.path.join(args.out, name), quality=90, exif=exif.tobytes())
        record(name, "jpeg", jpeg_tolerance)
    record("exif6.jpg", "jpeg", jpeg_tolerance, orientation="ignore")

    # ----- damaged and foreign files: each must fail with its own error -----
    bad = os.path.join(args.out, "bad")
    base = open(os.path.join(args.out, "baseline420.jpg"), "rb").read()
    prog = open(os.path.join(args.out, "progressive.jpg"), "rb").read()
    png = open(os.path.join(args.out, "rgb8.png"), "rb").read()
    files = {
        "truncated.jpg": base[: len(base) * 2 // 3],
        "truncated-progressive.jpg": prog[: len(prog) * 2 // 3],
        "truncated.png": png[: len(png) * 2 // 3],
        "header-only.png": png[:33],
        "corrupt-crc.png": png[:60] + bytes([png[60] ^ 0x55]) + png[61:],
        "not-an-image.png": b"hello, I am a text file pretending to be a PNG\n",
        "empty.png": b"",
    }
    gif = io.BytesIO()
    Image.fromarray(rgb).save(gif, format="GIF")
    files["really-a-gif.jpg"] = gif.getvalue()
    # IHDR patched (with a correct CRC): width 0; and 30000x30000 (900 megapixels).
    def patch_ihdr(width, height):
        ihdr = bytearray(png[16:29])
        ihdr[0:8] = struct.pack(">II", width, height)
        return png[:8] + chunk(b"IHDR", bytes(ihdr)) + png[33:]
    files["zero-width.png"] = patch_ihdr(0, H)
    files["huge.png"] = patch_ihdr(30000, 30000)
    # JPEG frame header patched: height 0; and 20000x20000.
    sof = base.index(b"\xff\xc0")
    def patch_sof(width, height):
        return base[: sof + 5] + struct.pack(">HH", height, width) + base[sof + 9:]
    files["zero-height.jpg"] = patch_sof(JW, 0)
    files["huge.jpg"] = patch_sof(20000, 20000)
    for name, data in files.items():
        with open(os.path.join(bad, name), "wb") as f:
            f.write(data)

    # ----- Pillow's NEAREST resize (the Keras load_img default), to check the index rule -----
    src = Image.open(os.path.join(args.out, "rgb8.png")).convert("RGB")
    resizes = []
    for (w, h) in [(10, 7), (50, 31), (23, 5), (7, 40)]:
        out = np.asarray(src.resize((w, h), Image.NEAREST))
        name = f"nearest-{w}x{h}.rgb"
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(out.tobytes())
        resizes.append({"source": "rgb8.png", "width": w, "height": h, "expected": name})

    manifest = {
        "generator": "Tests/Fixtures/generate/make_image_corpus.py",
        "pillow": PIL.__version__, "libjpeg_turbo": features.version("libjpeg_turbo"),
        "decodes": entries, "nearest_resizes": resizes,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")

    if args.large:
        big = photo_like(4000, 3000, 3)
        Image.fromarray(big).save(args.large, quality=90)
        print("wrote", args.large, os.path.getsize(args.large), "bytes")


if __name__ == "__main__":
    main()
