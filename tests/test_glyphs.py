"""The shipped MapLibre SDF glyph ranges (static/glyphs, built by scripts/build_glyphs.py).

Decoded with a minimal protobuf reader (standard library only) against the
glyphs.proto schema MapLibre GL JS reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GLYPHS = Path(__file__).resolve().parents[1] / "static" / "glyphs"
FONTSTACK = "DejaVu Sans Book"
STACK_DIR = GLYPHS / FONTSTACK
BUFFER = 3
# ranges that must carry glyphs (start code points), as in scripts/build_glyphs.py
RENDERED = [0, 256, 512, 768, 1536, 1792, 7680, 8192, 64256, 65024, 65280]
GLYPH_FIELDS = {1: "id", 2: "bitmap", 3: "width", 4: "height", 5: "left", 6: "top", 7: "advance"}


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _fields(buf: bytes):
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            value = buf[i : i + n]
            i += n
            assert len(value) == n, "truncated field"
        else:
            raise AssertionError(f"unexpected wire type {wire}")
        yield field, wire, value


def parse(path: Path) -> list[dict]:
    """Fontstacks of one .pbf: [{'name', 'range', 'glyphs': {id: glyph}}]."""
    stacks = []
    for field, wire, stack_buf in _fields(path.read_bytes()):
        assert (field, wire) == (1, 2)
        stack: dict = {"glyphs": {}}
        for f, w, v in _fields(stack_buf):
            if f in (1, 2):
                assert w == 2
                stack["name" if f == 1 else "range"] = v.decode()
            elif f == 3:
                glyph: dict = {"bitmap": b""}
                for gf, gw, gv in _fields(v):
                    assert (gw == 2) == (gf == 2)
                    glyph[GLYPH_FIELDS[gf]] = gv
                for key in ("left", "top"):  # sint32 zigzag
                    glyph[key] = (glyph[key] >> 1) ^ -(glyph[key] & 1)
                assert set(GLYPH_FIELDS.values()) - {"bitmap"} <= glyph.keys()
                stack["glyphs"][glyph["id"]] = glyph
        stacks.append(stack)
    return stacks


def _range_file(code_point: int) -> Path:
    start = code_point // 256 * 256
    return STACK_DIR / f"{start}-{start + 255}.pbf"


@pytest.fixture(scope="module")
def ranges() -> dict[int, dict]:
    out = {}
    for path in STACK_DIR.glob("*.pbf"):
        stacks = parse(path)
        assert len(stacks) == 1, path.name
        out[int(path.stem.split("-")[0])] = stacks[0]
    return out


def test_expected_range_files_exist():
    names = {p.name for p in STACK_DIR.glob("*.pbf")}
    expected = {f"{s}-{s + 255}.pbf" for s in RENDERED}
    assert expected <= names, sorted(expected - names)
    for name in names:  # nothing but whole 256-code-point ranges
        start, end = map(int, name.removesuffix(".pbf").split("-"))
        assert start % 256 == 0 and end == start + 255 and end <= 65535, name
    assert (GLYPHS / "README.md").is_file()
    assert (GLYPHS / "LICENSE_DEJAVU.txt").is_file()


def test_ranges_parse_with_name_and_range(ranges):
    for start, stack in ranges.items():
        assert stack["name"] == FONTSTACK
        assert stack["range"] == f"{start}-{start + 255}"
        assert all(start <= cp <= start + 255 for cp in stack["glyphs"])


@pytest.mark.parametrize("start", RENDERED)
def test_listed_ranges_have_glyphs(ranges, start):
    # an empty range file would hide those characters: on a 404 MapLibre at
    # least falls back to the browser's font
    assert ranges[start]["glyphs"], f"{start}-{start + 255} is empty"


def test_bitmaps_are_buffered_boxes(ranges):
    count = 0
    for stack in ranges.values():
        for glyph in stack["glyphs"].values():
            w, h = glyph["width"], glyph["height"]
            if w or h:
                assert len(glyph["bitmap"]) == (w + 2 * BUFFER) * (h + 2 * BUFFER), glyph["id"]
            else:
                assert glyph["bitmap"] == b""
            count += 1
    assert count > 1500


@pytest.mark.parametrize(
    "char",
    ["A", "B", "a", "0", "ب", "غ", "ا", "\u0695", "ā", "Ḩ", "ʿ", "‘", "’", "\ufe91", "\ufe8e"],
)
def test_needed_glyphs_present(ranges, char):
    cp = ord(char)
    glyph = ranges[cp // 256 * 256]["glyphs"].get(cp)
    assert glyph is not None, f"U+{cp:04X} missing from {_range_file(cp).name}"
    w, h = glyph["width"], glyph["height"]
    assert w > 0 and h > 0
    assert len(glyph["bitmap"]) == (w + 2 * BUFFER) * (h + 2 * BUFFER)
    assert glyph["advance"] > 0
    # a signed distance field: inside the outline (>= 191), 2+ px outside (< 128)
    assert max(glyph["bitmap"]) >= 191
    assert min(glyph["bitmap"]) < 128


def test_metrics_follow_fontnik_conventions(ranges):
    latin = ranges[0]["glyphs"]
    a, g, space = latin[ord("A")], latin[ord("g")], latin[ord(" ")]
    # 24 px font: cap height ~17.5 px, top relative to the ascender (negative)
    assert 16 <= a["height"] <= 19 and -8 <= a["top"] <= -3
    # descender: 'g' reaches further below the baseline than 'A'
    assert g["top"] - g["height"] < a["top"] - a["height"]
    assert space["width"] == 0 and space["advance"] > 0
    # the border rows/columns of the buffer are outside the glyph
    w = a["width"] + 2 * BUFFER
    rows = [a["bitmap"][i : i + w] for i in range(0, len(a["bitmap"]), w)]
    assert max(rows[0]) < 191 and max(rows[-1]) < 191


def test_arabic_and_kurdish_map_labels_are_shaped_with_glyphs_the_app_serves(ranges, admin1):
    """Every governorate and site label in Arabic and Kurdish reaches MapLibre as shaped glyphs
    (visual order, contextual forms) that the shipped ranges hold: MapLibre inside Plotly
    cannot shape Arabic itself (geo.app.figures.shaping)."""
    from geo.app.figures import map_labels, shaping
    from geo.sources.curated import load

    sites = load("sites").data
    english = map_labels(admin1, sites, "en")
    for lang in ("ar", "ckb"):
        labels = map_labels(admin1, sites, lang)
        assert len(labels) == len(english) == len(admin1) + sites["latitude"].notna().sum()
        shaped = labels["name"].map(
            lambda t: bool(t) and all(shaping.PUA_BASE <= ord(c) <= shaping.PUA_LAST for c in t))
        assert shaped[labels["kind"] == "admin1"].all()  # every governorate has its name
        # a site without an Arabic-script name keeps its English one, visibly: few do
        assert (labels["name"][~shaped] == english["name"][~shaped]).all()
        assert shaped.mean() > 0.7, labels["name"][~shaped].tolist()
        for text in labels["name"][shaped]:
            for c in text:
                glyph = ranges[ord(c) // 256 * 256]["glyphs"][ord(c)]
                assert glyph["advance"] > 0
    # Letters join: the shaped word is not its letters' isolated forms reversed
    word = "هەولێر"  # Erbil in Kurdish: ێ and ە have no presentation forms in Unicode
    assert shaping.glyph_ids(word) != [shaping.glyph_ids(c)[0] for c in reversed(word)]
    assert shaping.shaped("Erbil") == "Erbil"  # Latin stays as it is


def test_labels_stay_unshaped_with_another_font(monkeypatch, tmp_path):
    """Glyph ids belong to one font file: with another, shaping would draw wrong letters."""
    from geo.app.figures import shaping

    manifest = tmp_path / "shaped.json"
    manifest.write_text('{"font_sha256": "0", "glyph_ids": [1]}', encoding="utf-8")
    monkeypatch.setattr(shaping, "MANIFEST", manifest)
    shaping._shaper.cache_clear()
    shaping.shaped.cache_clear()
    try:
        assert shaping.shaped("بغداد") == "بغداد"
    finally:
        shaping._shaper.cache_clear()
        shaping.shaped.cache_clear()
