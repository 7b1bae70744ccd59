"""Score the geocoder and the geoparser on the real files beside the project (issue 24).

    .venv/bin/python scripts/score_geocoding.py [EVENTS_DIR]      # default ../shared/data/events

Prints one markdown table: GTD's 2,000 incident summaries (first place right at its precision,
a place-level mention within 25 km, place-level mentions more than 100 km off in another
governorate) and the place names of UCDP GED (`where_coordinates`, precision 1-2) and GTD
(`city`), geocoded with their governorate as the hint. The truth is each file's own point, its
governorate from OCHA's lines when they lie beside the events folder (docs/geocoding.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo.tools import geoscore

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "events"


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT
    if not folder.is_dir():
        print(f"score_geocoding: no folder {folder}", file=sys.stderr)
        return 1
    r = geoscore.score(folder)
    s, u, g = r["gtd_summaries"], r["ucdp_names"], r["gtd_names"]
    print("| GTD summaries | value |\n|---|---|")
    print(f"| summaries | {s['summaries']:,.0f} |")
    print(f"| first place right at its precision | {s['first_right']:.1%} |")
    print(f"| a place-level mention within 25 km | {s['place_within_25km']:.1%} |")
    print(f"| place-level mentions >100 km off, another governorate | {s['far_mentions']:.0f} "
          f"({s['far_share']:.2%} of {s['mentions']:,.0f}) |")
    print("\n| names | distinct | matched | right | matches off |\n|---|---|---|---|---|")
    for name, m in (("UCDP GED", u), ("GTD", g)):
        print(f"| {name} | {m['names']:.0f} | {m['matched']:.1%} | {m['right']:.1%} | "
              f"{m['off_of_matches']:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
