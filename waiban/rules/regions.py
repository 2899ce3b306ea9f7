"""Regions some rules treat differently (stay-days allows one more day for them). ISO 3166 codes."""

AFRICA = frozenset(
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW "
    "ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW EH RE YT SH".split()
)
LATIN_AMERICA = frozenset(
    "AR BO BR CL CO EC GY PY PE SR UY VE GF FK MX BZ CR SV GT HN NI PA AG BS BB CU DM DO GD HT "
    "JM KN LC VC TT AI AW BQ VG KY CW GP MQ MS PR BL MF SX TC VI".split()
)
REGIONS = {"africa": AFRICA, "latin_america": LATIN_AMERICA}


def in_regions(country: str, regions) -> bool:
    return any(country in REGIONS.get(name, ()) for name in regions)
