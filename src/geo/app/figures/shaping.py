"""Arabic and Kurdish map labels, shaped before MapLibre draws them.

MapLibre draws a label glyph by glyph, left to right, with no shaping: Arabic script comes out
as separate letters in the wrong order unless the right-to-left text plugin is registered
(`maplibregl.setRTLTextPlugin`). Plotly bundles its own MapLibre and exposes no way to register
it (docs/decisions.md, issue 26). So the labels are shaped here with HarfBuzz, the shaper
browsers use, on the font the map glyphs are built from (DejaVu Sans, matplotlib's copy): the
shaped glyphs, in visual order, are written as private-use code points U+E000 + glyph id, and
`scripts/build_glyphs.py` renders exactly those glyphs into the matching glyph ranges. Letters
join, lam-alef ligatures form and Kurdish letters (ڵ ێ ۆ ڕ) take their contextual forms, like
in the page around the map.

A label without Arabic script, or a font that is not the one the glyphs were built from (the
manifest's checksum), is left as it is: a wrong glyph would be worse than an unshaped label.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

PUA_BASE = 0xE000
PUA_LAST = 0xF8FF
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
MANIFEST = Path(__file__).resolve().parents[4] / "static" / "glyphs" / "shaped.json"


def font_path() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@cache
def _shaper():
    """(HarfBuzz font, glyph ids the built ranges hold), or None when shaping cannot match the
    shipped glyphs (another font version, no manifest, no HarfBuzz)."""
    try:
        import uharfbuzz as hb

        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
        data = font_path().read_bytes()
    except (ImportError, OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != manifest.get("font_sha256"):
        return None
    return hb.Font(hb.Face(hb.Blob(data))), frozenset(manifest["glyph_ids"])


def glyph_ids(text: str) -> list[int]:
    """The glyphs HarfBuzz chooses for `text`, in visual (left-to-right) order."""
    import uharfbuzz as hb

    shaper = _shaper()
    font = shaper[0] if shaper else hb.Font(hb.Face(hb.Blob(font_path().read_bytes())))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


@cache
def shaped(text: str) -> str:
    """`text` as MapLibre should receive it: Arabic-script labels as shaped glyphs in visual
    order (private-use code points), anything else unchanged."""
    if not text or not ARABIC_SCRIPT.search(text) or _shaper() is None:
        return text
    ids = glyph_ids(text)
    if not all(i in _shaper()[1] for i in ids):
        return text  # a glyph the ranges lack would vanish: keep the plain text
    return "".join(chr(PUA_BASE + i) for i in ids)


def has_arabic_script(text: str) -> bool:
    return bool(ARABIC_SCRIPT.search(text or ""))
