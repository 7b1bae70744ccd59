"""The installed `geo` script, for tests that run the CLI as a user would. A module of its own,
not conftest.py: `from conftest import …` finds whichever conftest pytest imported last
(tests/browser/ has one too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEO = Path(sys.executable).with_name("geo")


def run_geo(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `geo` console script as a user would."""
    return subprocess.run([str(GEO), *args], capture_output=True, text=True, input=input,
                          timeout=300, cwd=ROOT)
