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


def colour_share(png: bytes, rgb: tuple[int, int, int], tolerance: int = 40) -> float:
    img = load(png)
    return float((np.abs(img - np.array(rgb)).max(axis=2) <= tolerance).mean())
