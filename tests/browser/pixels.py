"""Read what the user sees: how much of a screenshot is not background."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def load(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def drawn_fraction(png: bytes, background: tuple[int, int, int] = (255, 255, 255),
                   tolerance: int = 12) -> float:
    """Share of pixels that differ from the background colour."""
    img = load(png)
    diff = np.abs(img - np.array(background)).max(axis=2)
    return float((diff > tolerance).mean())


def colour_mask(png: bytes, rgb: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    """Which pixels are within `tolerance` of a colour (per channel)."""
    return np.abs(load(png) - np.array(rgb)).max(axis=2) <= tolerance


def colour_share(png: bytes, rgb: tuple[int, int, int], tolerance: int = 40) -> float:
    return float(colour_mask(png, rgb, tolerance).mean())


def covered_share(shot: bytes, bare: bytes, area: np.ndarray, tolerance: int = 30) -> float:
    """Share of `area` (a mask over `bare`) whose pixels differ between `shot` and `bare`, the
    same view drawn without one layer: what that layer covers there, whatever its colours
    (Plotly draws a marker with opacity, so its colour depends on what lies under it). The two
    pictures are compared over their common size: a canvas can differ by a pixel in height."""
    a, b = load(shot), load(bare)
    h, w = min(a.shape[0], b.shape[0], area.shape[0]), min(a.shape[1], b.shape[1], area.shape[1])
    changed = np.abs(a[:h, :w] - b[:h, :w]).max(axis=2) > tolerance
    inside = area[:h, :w]
    return float((changed & inside).sum() / max(int(inside.sum()), 1))
