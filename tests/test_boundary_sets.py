"""`geo boundaries install|status|use` with OCHA's official Iraq boundaries (read from
../shared/data/boundaries/, never copied into the project; skipped when absent), as files, as the
HDX-style zip of shapefiles, by URL from a local server and as geoBoundaries; and the refusals:
overlaps, a partial country, unknown names, no network. Every install goes to a GEO_HOME of
the test's own."""

from __future__ import annotations

import json
import re
import zipfile

import geopandas as gpd
import numpy as np
import pytest
from cli_run import ROOT, run_geo

from geo.sources import boundary_sets
from geo.spatial import installed
from geo.spatial.boundaries import BoundaryError, load_configured_admin1
from geo.spatial.join import assign_admin1

OCHA = ROOT.parent / "shared" / "data" / "boundaries" / "ocha-cod-ab-irq"
ADM1 = OCHA / "irq_admbnda_adm1_cso_20190603.geojson"
ADM2 = OCHA / "irq_admbnda_adm2_cso_20190603.geojson"
ADM3 = OCHA / "irq_admbnda_adm3_cso_20190603.geojson"
pytestmark = pytest.mark.skipif(not OCHA.is_dir(), reason=f"OCHA boundaries not present ({OCHA})")





def _inner_points(polys: gpd.GeoDataFrame, per_unit: int = 20, seed: int = 3) -> gpd.GeoDataFrame:
    """Random points at least 2 km inside each polygon: "away from lines"."""
    rng = np.random.default_rng(seed)
    metric = polys.to_crs("EPSG:32638")
    rows = []
    for code, shape in zip(metric["admin1_code"], metric.geometry.buffer(-2000), strict=True):
        if shape.is_empty:
            continue
        x0, y0, x1, y1 = shape.bounds
        found = 0
        while found < per_unit:
            xs, ys = rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)
            pts = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=metric.crs)
            inside = pts[pts.within(shape)][: per_unit - found]
            rows += [(code, p) for p in inside]
            found += len(inside)
    out = gpd.GeoDataFrame({"expected": [c for c, _ in rows]}, geometry=[p for _, p in rows],
                           crs=metric.crs).to_crs("EPSG:4326")
    return out.assign(latitude=out.geometry.y, longitude=out.geometry.x)


def test_install_ocha_files_and_use_them_everywhere(home):
    meta = boundary_sets.install([str(ADM1), str(ADM2)])
    assert meta["counts"] == {"admin1": 18, "admin2": 101}
    assert meta["date"] == "2019-06-03" and "CC BY-IGO" in meta["licence"]
    assert len(meta["checksum"]) == 64 and installed.active() == "installed"
    admin1 = load_configured_admin1()
    assert sorted(admin1["admin1_code"]) == sorted(set(admin1["admin1_code"]))
    assert len(admin1) == 18 and admin1["admin1_code"].str.fullmatch(r"IQ-[A-Z]{2}").all()
    # governorates come out exactly as OCHA's polygons say, for points away from lines
    ocha = gpd.read_file(ADM1).assign(admin1_code=lambda g: boundary_sets._iso(
        g["ADM1_EN"], None, "test").to_numpy())
    points = _inner_points(ocha)
    got = assign_admin1(points.drop(columns="geometry"), admin1, geometry=False)
    assert (got["admin1_code"].to_numpy() == points["expected"].to_numpy()).all()
    # the CLI uses it too, and says so
    status = run_geo("boundaries", "status")
    assert status.returncode == 0 and "active: installed" in status.stdout
    assert "OCHA Common Operational Dataset" in status.stdout and meta["checksum"] in status.stdout
    one = points.iloc[0]
    located = run_geo("locate", f"{one.latitude},{one.longitude}")
    assert located.returncode == 0 and one["expected"] in located.stdout
    # switching back
    assert run_geo("boundaries", "use", "embedded").returncode == 0
    assert installed.active() == "embedded" and len(load_configured_admin1()) == 18
    assert "active: embedded" in run_geo("boundaries", "status").stdout
    assert run_geo("boundaries", "use", "installed").returncode == 0


def test_the_hdx_zip_of_shapefiles_by_url(home, served, tmp_path):
    shp = tmp_path / "shp"
    shp.mkdir()
    for src in (ADM1, ADM2):
        gpd.read_file(src).to_file(shp / (src.stem + ".shp"))
    archive = tmp_path / "www" / "irq_adm_cso_20190603_SHP.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in shp.iterdir():
            zf.write(f, f"irq_adm_cso_20190603_SHP/{f.name}")
    done = run_geo("boundaries", "install", f"{served}/{archive.name}")
    assert done.returncode == 0, done.stderr
    assert "installed OCHA Common Operational Dataset" in done.stderr
    meta = installed.metadata()
    assert meta["counts"] == {"admin1": 18, "admin2": 101}
    assert meta["inputs"][0]["source"].startswith("http://127.0.0.1")
    districts = installed.load("admin2")
    assert districts["admin1_code"].notna().all() and districts["admin2_code"].is_unique


def test_geoboundaries_api_answer(home, served, tmp_path):
    ocha = gpd.read_file(ADM1)
    iso = boundary_sets._iso(ocha["ADM1_EN"], None, "test")
    gb = gpd.GeoDataFrame({"shapeName": ocha["ADM1_EN"], "shapeISO": iso.to_numpy(),
                           "shapeID": [f"IRQ-ADM1-{i}" for i in range(len(ocha))],
                           "shapeGroup": "IRQ", "shapeType": "ADM1"}, geometry=ocha.geometry)
    gb.to_file(tmp_path / "www" / "geoBoundaries-IRQ-ADM1.geojson", driver="GeoJSON")
    answer = tmp_path / "api.json"
    answer.write_text(json.dumps({"boundaryISO": "IRQ", "boundaryType": "ADM1",
                                  "gjDownloadURL": f"{served}/geoBoundaries-IRQ-ADM1.geojson"}))
    meta = boundary_sets.install([str(answer)])
    assert meta["counts"] == {"admin1": 18} and meta["title"] == "geoBoundaries, Iraq"


def test_bad_sets_are_refused_and_the_old_one_kept(home, tmp_path):
    boundary_sets.install([str(ADM1)])
    before = installed.metadata()["checksum"]
    ocha = gpd.read_file(ADM1)
    cases = {
        "overlap": gpd.GeoDataFrame(ocha.assign(geometry=ocha.geometry.where(
            ocha["ADM1_EN"] != "Baghdad", ocha.geometry.buffer(0.2))), crs=ocha.crs),
        "partial": ocha[ocha["ADM1_EN"].isin(["Baghdad", "Al-Anbar"])],
        "unknown": ocha.assign(ADM1_EN=ocha["ADM1_EN"].where(ocha.index != 0, "Atlantis")),
        "points": gpd.GeoDataFrame(ocha.drop(columns="geometry"),
                                   geometry=ocha.geometry.representative_point(), crs=ocha.crs),
    }
    said = {}
    for name, frame in cases.items():
        path = tmp_path / f"{name}.geojson"
        frame.to_file(path, driver="GeoJSON")
        with pytest.raises(BoundaryError) as info:
            boundary_sets.install([str(path)])
        said[name] = str(info.value)
    assert "overlap by" in said["overlap"] and "nothing installed" in said["overlap"]
    assert "cover" in said["partial"] and "not a set of Iraq's governorates" in said["partial"]
    assert "not in the alias table: Atlantis" in said["unknown"]
    assert "expected polygons, found Point" in said["points"]
    assert installed.metadata()["checksum"] == before  # the old set is untouched


def test_offline_url_is_one_line(home):
    done = run_geo("boundaries", "install", "http://127.0.0.1:9/irq.zip")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "cannot reach 127.0.0.1:9 (no network?); nothing installed" in done.stderr
    assert installed.metadata() is None


# ---------------------------------------------------------------- districts and disputed territories

PLACES = {"Kirkuk city": (35.468, 44.392, "Disputed territories", "Kirkuk"),
          "Erbil city": (36.191, 44.009, "Kurdistan Region", "Erbil"),
          "Baghdad, Karkh": (33.305, 44.36, "Federal Iraq", None),
          "Sinjar town": (36.321, 41.876, "Disputed territories", "Sinjar")}


def test_locate_appends_district_and_jurisdiction(home):
    header = "lat,lon,admin1_code,admin1_name,region,admin2_code,admin2_name,jurisdiction"
    before = run_geo("locate", "35.468,44.392")
    assert before.stdout.splitlines()[0] == header
    assert before.stdout.splitlines()[1].endswith(",,,")  # no district set yet: blank
    boundary_sets.install([str(ADM1), str(ADM2)])
    done = run_geo("locate", *(f"{lat},{lon}" for lat, lon, _, _ in PLACES.values()))
    assert done.returncode == 0, done.stderr
    rows = [line.split(",") for line in done.stdout.splitlines()[1:]]
    for (name, (_, _, jurisdiction, district)), row in zip(PLACES.items(), rows, strict=True):
        assert row[-1] == jurisdiction, (name, row)
        assert row[5].startswith("IQG") and (district is None or row[6] == district), (name, row)


def test_disputed_table_is_sourced_and_matches_ochas_districts():
    from geo.sources import disputed

    table = disputed.table()
    assert table["source_url"].str.match(r"^https?://").all()
    assert table[["source_publisher", "source_title", "note"]].ne("").all().all()
    assert set(table["extent"]) <= {"whole", "part"}
    assert table.loc[table["extent"] == "part", "part"].ne("").all()
    ocha = gpd.read_file(ADM2).rename(columns={"ADM2_PCODE": "admin2_code", "ADM2_EN": "admin2_name"})
    assert disputed.unmatched(ocha) == []
    assert len(disputed.disputed_codes(ocha)) == (table["extent"] == "whole").sum() == 14


def test_imports_and_exports_carry_districts(home, tmp_path):
    boundary_sets.install([str(ADM1), str(ADM2)])
    src = ROOT / "tests" / "fixtures" / "formats" / "acled_new.csv"
    done = run_geo("ingest", str(src), "--store", str(tmp_path / "s"))
    assert done.returncode == 0, done.stderr
    out = run_geo("export", "--store", str(tmp_path / "s"), "--format", "csv")
    import io

    import pandas as pd

    table = pd.read_csv(io.StringIO(out.stdout), dtype=str, keep_default_na=False)
    iraq = table[table["region"].isin(["Federal Iraq", "Kurdistan Region"])
                 & (table["attribution"] == "point")]
    assert len(iraq) and iraq["admin2_code"].str.startswith("IQG").all()
    assert set(iraq["jurisdiction"]) <= {"Federal Iraq", "Kurdistan Region", "Disputed territories"}
    sites = run_geo("export", "--dataset", "sites", "--format", "csv")
    assert "admin2_name" in sites.stdout.splitlines()[0]


def test_the_app_draws_districts_and_disputed_territories(home, app_page):
    page = app_page
    at = page("pages/map.py", layers="boundaries,disputed")
    assert any("need district boundaries" in i.value for i in at.info)  # nothing installed yet
    boundary_sets.install([str(ADM1), str(ADM2)])
    at = page("pages/map.py", layers="boundaries,disputed,events", jur="Disputed territories")
    fig = json.loads(next(c for c in at.get("plotly_chart") if "Disputed" in c.proto.spec).proto.spec)
    names = [t.get("name") for t in fig["data"]]
    assert "Disputed territories (Article 140, UNAMI 2009)" in names
    disputed_trace = fig["data"][names.index("Disputed territories (Article 140, UNAMI 2009)")]
    assert len(disputed_trace["locations"]) == 14
    assert any("jurisdiction: Disputed territories" in c.value.replace("\\", "") for c in at.caption)
    assert any("OCHA Common Operational Dataset" in c.value for c in at.caption)
    at = page("pages/regions.py")
    at.segmented_control(key="reg_level").set_value("Districts").run()
    assert not at.exception
    heads = [s.value for s in at.subheader]
    assert "Districts" in heads and heads[0].endswith("and the disputed territories")
    # in Arabic (and Kurdish), districts are named as OCHA's ADM2_AR names them
    at = page("pages/map.py", layers="boundaries,disputed,events", jur="Disputed territories",
              lang="ar")
    traces = [t for c in at.get("plotly_chart") for t in json.loads(c.proto.spec)["data"]]
    hovers = next(t for t in traces if t.get("type") == "choroplethmap" and "customdata" in t
                  and len(t.get("locations", [])) == 14)
    names = [row[0] for row in hovers["customdata"]]
    assert all(re.search("[\u0600-\u06ff]", n) for n in names), names
    picker = at.multiselect(key="f_admin2")
    assert re.search("[\u0600-\u06ff]", picker.format_func(picker.options[0]))


def test_agreement_of_the_embedded_default_with_ocha():
    """Issue 13 part 4's figures, measured (data/README.md states them): the embedded lines
    against OCHA's on a 0.02° grid, over Iraq and within 60 km of central Baghdad. The floor is
    today's value, so a regression fails (the issue's 90 % is out of reach from registry data:
    data/README.md says why)."""
    from geo.spatial.boundaries import load_admin1
    from geo.spatial.compare import BAGHDAD, agreement

    ocha = gpd.read_file(OCHA / "iraq_adm1_iso.geojson").rename(
        columns={"iso_3166_2": "admin1_code", "name": "admin1_name"})
    whole = agreement(load_admin1(), ocha)
    ring = agreement(load_admin1(), ocha, centre=BAGHDAD, radius_km=60)
    print(f"agreement with OCHA: Iraq {whole['agreement']:.1%} ({whole['points']} points), "
          f"within 60 km of Baghdad {ring['agreement']:.1%} ({ring['points']} points)")
    assert whole["agreement"] >= 0.951 and whole["points"] > 100_000
    assert ring["agreement"] >= 0.815 and ring["points"] > 2_500


def test_the_map_page_by_district(home, app_page):
    boundary_sets.install([str(ADM1), str(ADM2)])
    at = app_page("pages/map.py", layers="boundaries,choropleth,events")
    at.segmented_control(key="map_level").set_value("Districts").run()
    assert not at.exception, [e.value for e in at.exception]
    fig = json.loads(next(c for c in at.get("plotly_chart")
                          if '"choroplethmap"' in c.proto.spec).proto.spec)
    choropleth = next(t for t in fig["data"] if t["type"] == "choroplethmap")
    assert len(choropleth["locations"]) == 101 and choropleth["locations"][0].startswith("IQG")


def test_an_installed_district_set_joins_the_geoparser(home):
    from geo.text.geoparse import geoparse

    text = "Shelling hit Makhmour district and the town of Makhmour."
    before = geoparse(text)
    # without districts, the unit word already makes it an area, at the town's point (issue 24)
    district = before[before["mention"] == "Makhmour district"].iloc[0]
    assert district["precision"] == 3 and district["matched_name"] != "Makhmour district"
    boundary_sets.install([str(ADM1), str(ADM2)])
    after = geoparse(text)
    district = after[after["mention"] == "Makhmour district"].iloc[0]
    assert district["matched_name"] == "Makhmour district" and district["precision"] == 3
    assert district["admin1_code"] == "IQ-AR"
    town = after[after["mention"] == "Makhmour"].iloc[0]
    assert town["precision"] == 2


def test_installed_sub_districts_and_arabic_names_join_the_geoparser(home):
    """Issue 14: with OCHA's three levels installed, district and sub-district names (English
    and Arabic) are areas the geoparser finds; a bare name counts only capitalised, and a town
    of the same name still wins."""
    from geo.text.geoparse import geoparse

    meta = boundary_sets.install([str(ADM1), str(ADM2), str(ADM3)])
    assert meta["levels"] == ["admin1", "admin2", "admin3"] and meta["counts"]["admin3"] == 294
    text = ("Drones hit Haji Omaran and the Bradost sub-district; shelling in قضاء سنجار and "
            "ناحية برادوست. Fighters left Makhmour. A haji omaran is not a place.")
    found = geoparse(text)
    got = {m: (a, p) for m, a, p in zip(found["mention"], found["admin1_code"], found["precision"],
                                         strict=True)}
    assert got["Haji Omaran"] == ("IQ-AR", 3) and got["Bradost sub-district"] == ("IQ-AR", 3)
    assert got["قضاء سنجار"] == ("IQ-NI", 3) and got["ناحية برادوست"] == ("IQ-AR", 3)
    assert got["Makhmour"][1] == 2  # the town, not the district
    assert "haji omaran" not in got


def test_districts_come_out_as_ochas_polygons_say(home):
    from geo.spatial.join import assign_admin2

    boundary_sets.install([str(ADM1), str(ADM2)])
    ocha = gpd.read_file(ADM2).rename(columns={"ADM2_PCODE": "admin1_code"})
    points = _inner_points(ocha, per_unit=5, seed=11)
    got = assign_admin2(points.drop(columns="geometry"), installed.load("admin2"))
    assert len(points) >= 400
    assert (got["admin2_code"].to_numpy() == points["expected"].to_numpy()).all()


def test_surge_alerts_per_district(home):
    """Issue 15: with districts installed, `geo alerts --level district` answers per district
    (all 101, quiet ones with zeros); without them it says what to install."""
    import io

    import pandas as pd

    refused = run_geo("alerts", "--level", "district")
    assert refused.returncode == 1 and "geo boundaries install" in refused.stderr
    boundary_sets.install([str(ADM1), str(ADM2)])
    res = run_geo("alerts", "--level", "district", "--as-of", "2026-03-31")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), keep_default_na=False)
    assert list(table.columns[:2]) == ["admin2_code", "admin2_name"] and len(table) == 101
    assert table["last_4w"].sum() >= 20 and table["admin2_code"].str.startswith("IQG").all()
    assert (table["flag"] != "").any()
