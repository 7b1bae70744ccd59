"""Every table's columns, types and allowed values, declared once.

The loaders, the validator, the exports and the data dictionary all read these declarations,
so a column is added or renamed in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Kind = Literal["str", "int", "float", "date"]

# ACLED's event taxonomy (ACLED Codebook 2023): event_type -> allowed sub_event_types.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in EVENT_TYPES.values() for s in subs)

REGIONS = ("Federal Iraq", "Kurdistan Region")
OUTSIDE_IRAQ = "Outside Iraq"
# With an installed district set: the Article 140 districts (geo.sources.disputed) apart.
DISPUTED = "Disputed territories"
JURISDICTIONS = (*REGIONS, DISPUTED)
# In Iraq, but the source only knows the country (UCDP where_prec 6-7, ACLED without admin-1):
# no governorate and no side of the Kurdistan line can be named (geo.sources.attribution).
NOT_ATTRIBUTABLE = "Iraq, place not attributable"
# How an imported event got its governorate (`attribution` column).
ATTRIBUTIONS = {
    "point": "the point's position (the spatial join)",
    "source admin-1": "the source's own admin-1: it places the event only at that level",
    "on the border": "the source's admin-1: the point lies within 2 km outside the national line",
    "not attributable": "none: the source only knows the country",
}
INVALID_COORDINATES = "No valid coordinates"

TIME_PRECISION = {1: "exact day", 2: "within the week", 3: "within the month"}
GEO_PRECISION = {1: "exact site or town", 2: "near the named place", 3: "larger area only"}
QUALIFIERS = ("exact", "about", "at least", "up to", "estimate")
# What a curated event's death toll may say of itself (imports may carry the wider QUALIFIERS).
EVENT_FATALITY_QUALIFIERS = ("exact", "at least", "estimate")
SITE_KINDS = ("air base", "military base", "airport", "diplomatic facility", "border crossing",
              "oil or gas field", "energy facility", "camp", "area")
MILESTONE_KINDS = ("vote", "warrant", "call", "agreement", "announcement", "deadline", "ceasefire",
                   "meeting", "other")
MILESTONE_AREAS = ("Iraq", *REGIONS)


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    required: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Schema:
    name: str
    fields: tuple[Field, ...]
    key: str | None = None
    # (column, column it depends on): value must be blank exactly when the other is blank
    paired_blank: tuple[tuple[str, str], ...] = ()
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def get(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _source_fields(required: bool = True) -> tuple[Field, ...]:
    return (
        Field("source_publisher", "str", "Who published the source (e.g. US Department of Defense).",
              required=required),
        Field("source_date", "date", "Publication date of the source, when known."),
        Field("source_title", "str", "Title of the cited article or statement."),
        Field("source_url", "str", "Address of the source (http/https only).", required=required),
    )


_LAT = Field("latitude", "float", "WGS 84 latitude in decimal degrees.", required=True, min=-90, max=90)
_LON = Field("longitude", "float", "WGS 84 longitude in decimal degrees.", required=True,
             min=-180, max=180)
_GEO_PRECISION = Field("geo_precision", "int",
                       "1 exact site or town; 2 near the named place; 3 larger area only (ACLED).",
                       required=True, min=1, max=3)
_TIME_PRECISION = Field("time_precision", "int",
                        "1 exact day; 2 within the week; 3 within the month (ACLED).",
                        required=True, min=1, max=3)
_COORD_SOURCE = Field("coord_source", "str",
                      "Where the coordinates come from: site:<id>, geonames:<id> or wikipedia:<title>.",
                      required=True)
_QUALIFIER_ALLOWED = QUALIFIERS
_PARTISAN = Field("partisan", "str",
                  "Blank, or who the figure or claim comes from when its only source is a party "
                  "to the fighting or an outlet aligned with one (shown, flagged, kept out of "
                  "totals).")

EVENTS = Schema(
    name="events",
    description="Dated, geocoded events (ACLED taxonomy), one row per event and location.",
    key="event_id",
    paired_blank=(("fatalities_qualifier", "fatalities"),),
    fields=(
        Field("event_id", "str", "Stable identifier, never reused.", required=True),
        Field("event_date", "date", "Date of the event (local time).", required=True),
        _TIME_PRECISION,
        Field("event_type", "str", "ACLED event type.", required=True,
              allowed=tuple(EVENT_TYPES)),
        Field("sub_event_type", "str", "ACLED sub-event type (must belong to event_type).",
              required=True, allowed=SUB_EVENT_TYPES),
        Field("actor1", "str", "Main actor (ACLED-style name).", required=True),
        Field("actor2", "str", "Second actor or the party targeted, if any."),
        Field("target", "str", "What was hit or concerned (site, group, person)."),
        Field("location", "str", "Place name as reported.", required=True),
        _LAT,
        _LON,
        _GEO_PRECISION,
        _COORD_SOURCE,
        Field("fatalities", "int", "Reported deaths; blank when unknown.", min=0),
        Field("fatalities_qualifier", "str", "How firm the figure is; blank when fatalities is blank.",
              allowed=_QUALIFIER_ALLOWED),
        Field("fatalities_group", "str",
              "Rows sharing this id split one reported total: evenly, the remainder to the first "
              "row (ACLED's rule)."),
        _PARTISAN,
        *_source_fields(),
        Field("notes", "str", "Short neutral description.", required=True),
    ),
)

SITES = Schema(
    name="sites",
    description="Curated gazetteer of places GeoNames lacks: bases, airports, border crossings.",
    key="site_id",
    fields=(
        Field("site_id", "str", "Stable kebab-case identifier.", required=True),
        Field("name", "str", "Usual English name.", required=True),
        Field("aliases", "str", "Other spellings, '|'-separated (Latin and Arabic script)."),
        Field("kind", "str", "Kind of site.", required=True, allowed=SITE_KINDS),
        # A site whose position was never published keeps blank coordinates (it is listed,
        # not mapped) rather than an invented one.
        replace(_LAT, required=False),
        replace(_LON, required=False),
        replace(_GEO_PRECISION, required=False),
        replace(_COORD_SOURCE, required=False),
        *_source_fields(required=False),
        Field("notes", "str", "What the site is; caveats on its position."),
    ),
)

PLACE_KINDS = ("populated place", "area", "dam", "airport", "military base", "border crossing",
               "oil or gas field", "energy facility")

PLACES = Schema(
    name="places",
    description="Curated gazetteer rows (data/curated/places.csv): towns, areas, dams and airports "
                "the registry sources lack, with the source of each position, and other spellings "
                "of places the gazetteer has (`same_as`, no position of their own).",
    key="place_id",
    paired_blank=(("longitude", "latitude"),),
    fields=(
        Field("place_id", "str", "Stable kebab-case identifier.", required=True),
        Field("name", "str", "Usual English name.", required=True),
        Field("aliases", "str", "Other spellings, '|'-separated (Latin and Arabic script)."),
        Field("kind", "str", "Kind of place; `area` for mountains, lakes and regions (their "
              "point is only representative).", required=True, allowed=PLACE_KINDS),
        Field("country", "str", "ISO 3166-1 alpha-2 code (IQ for Iraq).", required=True),
        replace(_LAT, required=False),
        replace(_LON, required=False),
        Field("same_as", "str", "place_id of a gazetteer place (geonames:ID, simplemaps:ID) "
              "this row only adds spellings to; blank coordinates then."),
        replace(_COORD_SOURCE, required=False),
        *_source_fields(required=True),
        Field("notes", "str", "What the place is and how precise its point is (own words).",
              required=True),
    ),
)

DEPLOYMENTS = Schema(
    name="deployments",
    description="Presence of foreign forces at a site over a period; planned and reported kept apart.",
    key="deployment_id",
    paired_blank=(("personnel_qualifier", "personnel"),),
    fields=(
        Field("deployment_id", "str", "Stable identifier.", required=True),
        Field("site_id", "str", "Row of sites.csv.", required=True),
        Field("force", "str", "Which force (US forces, Global Coalition, NATO Mission Iraq…).",
              required=True),
        Field("start_date", "date", "First date of presence or of the reported state, if known."),
        Field("end_date", "date", "Last date of presence; blank when still present or unknown."),
        Field("as_of_date", "date", "Date the row's state refers to: the handover or reduction date, "
              "the date a snapshot was reported, or the date a plan was announced."),
        Field("status_kind", "str", "Whether this row is a plan or a reported fact.", required=True,
              allowed=("reported", "planned")),
        Field("status", "str", "State of the presence.", required=True,
              allowed=("present", "handed over", "withdrawn", "reduced", "unknown")),
        Field("personnel", "int", "Per-site personnel, only where a figure was published.", min=0),
        Field("personnel_qualifier", "str", "How firm the figure is.", allowed=_QUALIFIER_ALLOWED),
        _PARTISAN,
        *_source_fields(),
        Field("notes", "str", "Context and caveats."),
    ),
)

TROOP_LEVELS = Schema(
    name="troop_levels",
    description="National totals of foreign troops in Iraq over time.",
    paired_blank=(("personnel_qualifier", "personnel"), ("time_precision", "as_of_date")),
    fields=(
        Field("as_of_date", "date", "Date the figure refers to (blank for an undated plan)."),
        replace(_TIME_PRECISION, required=False),
        Field("force", "str", "Which force.", required=True),
        Field("personnel", "int", "Number of personnel.", required=True, min=0),
        Field("personnel_qualifier", "str", "How firm the figure is.", allowed=_QUALIFIER_ALLOWED),
        Field("status_kind", "str", "Plan or reported fact.", required=True,
              allowed=("reported", "planned")),
        _PARTISAN,
        *_source_fields(),
        Field("notes", "str", "Context and caveats."),
    ),
)

TRANSITION = Schema(
    name="transition",
    description="The agreed phased end of the coalition's military mission, as data.",
    fields=(
        Field("phase", "int", "Phase number.", required=True, min=1, max=9),
        Field("area", "str", "Where the phase applies.", required=True, allowed=REGIONS),
        Field("start_date", "date", "Start of the phase."),
        Field("end_date", "date", "End of the phase (blank if not stated)."),
        replace(_TIME_PRECISION, required=False,
                description="Precision of the dates given: 1 day; 2 week; 3 month."),
        Field("status_kind", "str", "Plan or reported fact.", required=True,
              allowed=("reported", "planned")),
        Field("description", "str", "What the phase means.", required=True),
        *_source_fields(),
    ),
)

MILESTONES = Schema(
    name="milestones",
    description="Dated non-violent developments (votes, warrants, calls, agreements, "
                "announcements, deadlines, ceasefires): drawn on the timelines, never counted "
                "as events.",
    key="milestone_id",
    fields=(
        Field("milestone_id", "str", "Stable identifier (MS-0001 …), never reused.", required=True),
        Field("date", "date", "Date of the development (local time).", required=True),
        _TIME_PRECISION,
        Field("kind", "str", "What kind of development.", required=True, allowed=MILESTONE_KINDS),
        Field("area", "str", "Where it applies.", required=True, allowed=MILESTONE_AREAS),
        Field("actors", "str", "Who took the step."),
        Field("title", "str", "Short label for a timeline (at most 60 characters).", required=True),
        Field("key", "str", "'yes': drawn as a labelled line on every timeline (a handful that "
              "frame the story); blank: a marker with a hover.", allowed=("yes",)),
        Field("description", "str", "One or two sentences in our own words.", required=True),
        *_source_fields(),
    ),
)

ACTOR_FAMILY_NAMES = (
    "US forces", "Coalition partners", "Israel", "Iran", "Turkey", "Other states",
    "PMF and Iran-aligned groups",
    "Islamic State", "PKK and affiliates", "Iranian Kurdish opposition", "Kurdistan Region forces",
    "Iraqi state", "Unidentified", "Other armed groups", "Protesters and rioters", "Civilians",
)

ACTOR_FAMILIES = Schema(
    name="actor_families",
    description="Resolves the actor names of ACLED, UCDP GED, GTD and the curated table (period "
                "labels, fronts, PMF brigades, abbreviations, governments, generic labels) into "
                "the sides an analyst follows; rows are tried in order, the first match wins.",
    fields=(
        Field("pattern", "str", "Case-insensitive regular expression over actor names.",
              required=True),
        Field("family", "str", "The side the matching actors belong to.", required=True,
              allowed=ACTOR_FAMILY_NAMES),
        Field("note", "str", "Why, in one sentence of our own.", required=True),
        *_source_fields(),
    ),
)

# Columns every event export carries, in this order (issue 2's canonical list first).
EVENT_EXPORT_COLUMNS = [
    "event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location",
    "latitude", "longitude", "geo_precision", "admin1_code", "admin1_name", "region",
    "fatalities", "source", "notes",
    "time_precision", "target", "fatalities_qualifier", "coord_source", "coord_issue",
    "source_publisher", "source_date", "source_title", "source_url", "dataset",
    "fatalities_group", "partisan",
    # what imports bring besides the schema: the source's admin-1 and how the governorate was
    # attributed, UCDP's low and high estimates, ACLED's actor types, the import's note
    "attribution", "source_admin1", "fatalities_low", "fatalities_high", "inter1", "inter2",
    "import_note",
    # with an installed district set (geo boundaries install): the district and whether the
    # place is in the Kurdistan Region, federal Iraq or the disputed territories
    "admin2_code", "admin2_name", "jurisdiction",
    # what the dashboard derives, computed as the app computes it (geo.app.dataset.with_meaning)
    # so that a pivot in the analyst's own tool shows what the dashboard shows: both actors'
    # families, the direction of violence, the dataset a record comes from, the record this one
    # repeats (blank when it is the one counted) and the other datasets' records of its event
    "actor1_family", "actor2_family", "direction", "origin", "duplicate_of", "also_reported_by",
]

JOIN_COLUMNS = ("admin1_code", "admin1_name", "region", "coord_issue")

ALL_SCHEMAS = {s.name: s for s in (EVENTS, SITES, PLACES, DEPLOYMENTS, TROOP_LEVELS, TRANSITION,
                                    MILESTONES, ACTOR_FAMILIES)}
