#!/usr/bin/env python3
"""Build offline MapLibre SDF glyph ranges (``{fontstack}/{range}.pbf``).

Needs (PyPI, install into the project venv; not project dependencies):
    freetype-py   rasterises the font (bundles its own libfreetype)
    numpy, scipy  signed distance field (scipy.ndimage.distance_transform_edt)
    matplotlib    only as the source of DejaVuSans.ttf (mpl-data/fonts/ttf)
    uharfbuzz     which glyphs shaped Arabic and Kurdish labels use (geo.app.figures.shaping)

    .venv/bin/pip install freetype-py numpy scipy matplotlib
    .venv/bin/python scripts/build_glyphs.py

Output: static/glyphs/DejaVu Sans Book/<start>-<end>.pbf, in the format of
mapbox/node-fontnik (glyphs.proto), which MapLibre GL JS reads:

* font size 24 px (72 dpi), FT_LOAD_NO_HINTING, advance = horiAdvance // 64;
* glyph box = exact outline bbox rounded to whole pixels: left = xmin,
  width/height from it, top = ymax - ascender (ascender = the size's
  ascender // 64, as sdf-glyph-foundry does; MapLibre positions a glyph's quad
  at ``-top - 3`` below a line origin that sits 17 px above the em centre);
* bitmap = (width + 6) x (height + 6) bytes (3 px buffer), rows top to bottom,
  byte = 255 - clamp(32 * d + 64) with d the signed distance in px from the
  pixel centre to the outline (positive outside), i.e. radius 8, cutoff 0.25
  (the outline is at byte 191, MapLibre's 0.75 SDF edge).

The distance field is computed on an 8x supersampled FreeType raster with a
Euclidean distance transform, then averaged back to 1 px cells.

Every range in RANGES gets a file (even if the font had nothing there); with
--all-ranges so does every other BMP range where DejaVu Sans has glyphs
(2.5 MB instead of 0.8 MB). Other ranges are deliberately left without a file:
on a 404 MapLibre 5 (bundled by Plotly) draws those characters with the
browser's own font, whereas a character missing from a range file that exists
is silently dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import shutil
from pathlib import Path

import freetype
import matplotlib
import numpy as np
from scipy.ndimage import distance_transform_edt

FONTSTACK = "DejaVu Sans Book"
SIZE = 24  # px, fontnik convention
BUFFER = 3  # px of SDF around each glyph box
RADIUS = 8  # px covered by the 0..255 range (256 / RADIUS = 32 per px)
CUTOFF = 0.25  # share of the byte range used for the inside
SUPERSAMPLE = 8

# Ranges the dashboard needs (Latin, transliterations, Arabic, presentation
# forms), given as start code points; each covers 256 code points.
RANGES = [0, 256, 512, 768, 1536, 1792, 7680, 8192, 64256, 65024, 65280]

ROOT = Path(__file__).resolve().parents[1]
# Shaped Arabic and Kurdish labels: glyph id N is drawn at U+E000 + N (geo.app.figures.shaping).
PUA_BASE, PUA_LAST = 0xE000, 0xF8FF
ARABIC_BLOCKS = [(0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
LICENSE = FONT.with_name("LICENSE_DEJAVU")
OUT = ROOT / "static" / "glyphs"


# --- minimal protobuf writer -------------------------------------------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _uint(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _sint(field: int, value: int) -> bytes:
    return _uint(field, (value << 1) ^ (value >> 31))  # zigzag


def _bytes(field: int, data: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(data)) + data


# --- rendering ----------------------------------------------------------------
def _load(face: freetype.Face, char: int, flags: int) -> None:
    """A code point's glyph, or for a private-use code point of the shaped ranges the glyph
    whose id it carries (U+E000 + id, `geo.app.figures.shaping`)."""
    if PUA_BASE <= char <= PUA_LAST:
        face.load_glyph(char - PUA_BASE, flags)
    else:
        face.load_char(char, flags)


def _sdf(face_hi: freetype.Face, char: int, left: int, top: int, w: int, h: int) -> bytes:
    """SDF bytes for the (w + 2B) x (h + 2B) box whose top-left is (left-B, top+B)."""
    s = SUPERSAMPLE
    _load(face_hi, char, freetype.FT_LOAD_NO_HINTING | freetype.FT_LOAD_RENDER)
    slot = face_hi.glyph
    bm = slot.bitmap
    bw, bh = w + 2 * BUFFER, h + 2 * BUFFER
    canvas = np.zeros((bh * s, bw * s), dtype=np.uint8)
    if bm.width and bm.rows:
        src = np.array(bm.buffer, dtype=np.uint8).reshape(bm.rows, bm.pitch)[:, : bm.width]
        x0 = slot.bitmap_left - (left - BUFFER) * s
        y0 = (top + BUFFER) * s - slot.bitmap_top
        # clip the raster to the canvas (it always fits, but be safe)
        sx0, sy0 = max(0, -x0), max(0, -y0)
        dx0, dy0 = max(0, x0), max(0, y0)
        cw = min(src.shape[1] - sx0, canvas.shape[1] - dx0)
        ch = min(src.shape[0] - sy0, canvas.shape[0] - dy0)
        if cw > 0 and ch > 0:
            canvas[dy0 : dy0 + ch, dx0 : dx0 + cw] = src[sy0 : sy0 + ch, sx0 : sx0 + cw]
    inside = canvas >= 128
    if not inside.any():
        dist = np.full(canvas.shape, float(RADIUS * s))
    elif inside.all():
        dist = np.full(canvas.shape, -float(RADIUS * s))
    else:
        # distance between pixel centres; the outline lies half a pixel away
        outside_d = distance_transform_edt(~inside) - 0.5
        inside_d = distance_transform_edt(inside) - 0.5
        dist = np.where(inside, -inside_d, outside_d)
    d = dist.reshape(bh, s, bw, s).mean(axis=(1, 3)) / s  # px at 24 px size
    n = np.clip(d * (256 / RADIUS) + CUTOFF * 256, 0, 255).astype(np.uint8)
    return (255 - n).tobytes()


def render_range(face: freetype.Face, face_hi: freetype.Face, start: int, chars: set[int]) -> bytes:
    end = start + 255
    ascender = face.size.ascender // 64
    glyphs = []
    for char in range(start, end + 1):
        if char not in chars:
            continue
        _load(face, char, freetype.FT_LOAD_NO_HINTING)
        advance = face.glyph.metrics.horiAdvance // 64
        left = top = width = height = 0
        bitmap = b""
        outline = face.glyph.outline
        if face.glyph.format == freetype.FT_GLYPH_FORMAT_OUTLINE and outline.n_points:
            bbox = outline.get_bbox()
            xmin, ymin = round(bbox.xMin / 64), round(bbox.yMin / 64)
            xmax, ymax = round(bbox.xMax / 64), round(bbox.yMax / 64)
            if xmax > xmin and ymax > ymin:
                left, top, width, height = xmin, ymax, xmax - xmin, ymax - ymin
                bitmap = _sdf(face_hi, char, left, top, width, height)
        msg = _uint(1, char)
        if width:
            msg += _bytes(2, bitmap)
        msg += _uint(3, width) + _uint(4, height) + _sint(5, left)
        msg += _sint(6, top - ascender) + _uint(7, advance)
        glyphs.append(_bytes(3, msg))
    stack = _bytes(1, FONTSTACK.encode()) + _bytes(2, f"{start}-{end}".encode())
    return _bytes(1, stack + b"".join(glyphs))


def shaped_glyph_ids(chars: set[int]) -> set[int]:
    """Every glyph HarfBuzz can choose for Arabic-script text in this font: each letter alone,
    first, in the middle and last in a word (joined through ZWJ), the lam-alef ligatures, and
    the spaces, digits and punctuation a label holds."""
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob(FONT.read_bytes())))
    letters = [chr(c) for lo, hi in ARABIC_BLOCKS for c in range(lo, hi + 1) if c in chars]
    zwj = "\u200d"
    texts = [t for c in letters for t in (c, zwj + c, c + zwj, zwj + c + zwj)]
    texts += ["\u0644" + a + m for a in "\u0627\u0623\u0625\u0622" for m in ("", zwj)]
    texts += [zwj + t for t in texts[-8:]]
    texts += [chr(c) for c in range(0x20, 0x7F)] + [" ", "(", ")", "-", "/", "\u060c"]
    ids: set[int] = set()
    for text in texts:
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        hb.shape(font, buffer, {})
        ids.update(info.codepoint for info in buffer.glyph_infos)
    ids.discard(0)  # .notdef
    return ids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="glyphs root (default static/glyphs)")
    ap.add_argument(
        "--all-ranges",
        action="store_true",
        help="also write every other range where the font has glyphs",
    )
    args = ap.parse_args()

    face = freetype.Face(str(FONT))
    face.set_char_size(SIZE * 64)
    face_hi = freetype.Face(str(FONT))
    face_hi.set_char_size(SIZE * SUPERSAMPLE * 64)
    name = f"{face.family_name.decode()} {face.style_name.decode()}"
    assert name == FONTSTACK, name
    chars = {c for c, _ in face.get_chars()}
    first = face.get_first_char()[0]
    chars.add(first)

    dest = args.out / FONTSTACK
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.pbf"):
        old.unlink()
    starts = set(RANGES)
    if args.all_ranges:  # MapLibre requests the Basic Multilingual Plane only
        starts |= {c // 256 * 256 for c in chars if c < 65536}
    shaped = shaped_glyph_ids(chars)
    assert max(shaped) <= PUA_LAST - PUA_BASE, "glyph ids beyond the private-use area"
    pua = {PUA_BASE + i for i in shaped}
    starts = sorted(starts | {c // 256 * 256 for c in pua})
    total = 0
    for start in starts:
        data = render_range(face, face_hi, start, chars | pua)
        (dest / f"{start}-{start + 255}.pbf").write_bytes(data)
        total += len(data)
    digest = hashlib.sha256(FONT.read_bytes()).hexdigest()
    (args.out / "shaped.json").write_text(json.dumps(
        {"font": FONT.name, "font_sha256": digest, "pua_base": PUA_BASE,
         "glyph_ids": sorted(shaped)}, separators=(",", ":")) + "\n", encoding="utf-8")
    shutil.copyfile(LICENSE, args.out / "LICENSE_DEJAVU.txt")
    print(f"wrote {len(starts)} ranges ({total} bytes) to {dest}")
    ft_py = importlib.metadata.version("freetype-py")
    ft = ".".join(map(str, freetype.version()))
    print(
        f"font {FONT.name} sha256 {digest}, matplotlib {matplotlib.__version__}, "
        f"freetype-py {ft_py}, FreeType {ft}"
    )


if __name__ == "__main__":
    main()
