"""Copy the browser tests' page screenshots into docs/screenshots/ for the README tour.

Run after the browser tests (`make test`): .venv/bin/python scripts/update_tour.py [NAME ...]
(names as in PAGES and AS_TAKEN: only those are copied; none, every one).
Blank space below a page's content is cropped and images are scaled to 1100 px wide.
`overview_ar`, `overview_ckb`, `map_phone_ar` and `map_phone_ckb` come from
tests/browser/test_languages.py, `map_keyboard_focus` from tests/browser/test_accessibility.py.
`map_ucdp` and `overview_ucdp` come from tests/browser/test_map_real_size.py, which needs the
real UCDP file in ../shared/data/events/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "artifacts"
TARGET = ROOT / "docs" / "screenshots"
PAGES = ["overview", "map", "events", "deployments", "regions", "data", "overview_dark",
         "map_ucdp", "overview_ucdp", "overview_ar", "overview_ckb"]
# copied as taken: the phone's own width, and the keyboard focus on the Map page (issue 27)
AS_TAKEN = {"map_phone": "layout_map_phone_light.png",
            "map_phone_ar": "page_map_phone_ar.png", "map_phone_ckb": "page_map_phone_ckb.png",
            "map_keyboard_focus": "a11y_map_keyboard_focus.png"}


def crop_blank_bottom(img: Image.Image) -> Image.Image:
    pixels = np.asarray(img.convert("RGB")).astype(int)
    main = pixels[:, 320:]  # right of the sidebar
    background = main[-1, -1]
    rows = np.where((np.abs(main - background).max(axis=2) > 10).any(axis=1))[0]
    bottom = min(len(pixels), int(rows.max()) + 40) if len(rows) else len(pixels)
    return img.crop((0, 0, img.width, bottom))


def main(names: list[str]) -> None:
    unknown = sorted(set(names) - set(PAGES) - set(AS_TAKEN))
    if unknown:
        raise SystemExit(f"unknown: {', '.join(unknown)}; choose from {', '.join(PAGES + list(AS_TAKEN))}")
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in (n for n in PAGES if not names or n in names):
        src = SOURCE / f"page_{name}.png"
        if not src.exists():
            raise SystemExit(f"{src} is missing: run the browser tests first")
        img = crop_blank_bottom(Image.open(src))
        scale = 1100 / img.width
        img = img.resize((1100, round(img.height * scale)), Image.LANCZOS)
        img.save(TARGET / f"{name}.png", optimize=True)
        print(TARGET / f"{name}.png", img.size)
    for name, file in ((n, f) for n, f in AS_TAKEN.items() if not names or n in names):
        src = SOURCE / file
        if not src.exists():
            raise SystemExit(f"{src} is missing: run the browser tests first")
        Image.open(src).save(TARGET / f"{name}.png", optimize=True)
        print(TARGET / f"{name}.png")


if __name__ == "__main__":
    main(sys.argv[1:])
