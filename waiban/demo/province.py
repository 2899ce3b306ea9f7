"""The rest of the province for the scale path: the region's leadership, departments,
universities, hospitals and companies, the bureaus of its fourteen cities and of its 111
counties and districts, and the posts their travellers hold.

County and district names and codes come from python-stdnum's table of area codes (the current
entries), so the units carry real names and their people birthplace codes the ID-number check
knows.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest

from stdnum import numdb

from waiban.demo import catalog
from waiban.people.models import Rank

BF, BD = Rank.BUREAU_FULL, Rank.BUREAU_DEPUTY
DF, DD = Rank.DIVISION_FULL, Rank.DIVISION_DEPUTY
PF, PD = Rank.PROVINCIAL_FULL, Rank.PROVINCIAL_DEPUTY
SECTION, OTHER = Rank.SECTION, Rank.OTHER

CITIES = [
    ("450100", "南宁市"),
    ("450200", "柳州市"),
    ("450300", "桂林市"),
    ("450400", "梧州市"),
    ("450500", "北海市"),
    ("450600", "防城港市"),
    ("450700", "钦州市"),
    ("450800", "贵港市"),
    ("450900", "玉林市"),
    ("451000", "百色市"),
    ("451100", "贺州市"),
    ("451200", "河池市"),
    ("451300", "来宾市"),
    ("451400", "崇左市"),
]


@dataclass(frozen=True)
class Kind:
    """Who works in a unit of this kind: the leadership posts (``{title}`` is 县, 区 or 市 for a
    county government), then middle managers and staff drawn from the lists, ``{dept}`` filled
    in from ``depts``. An entry with a third item ``True`` is teaching or research staff."""

    leaders: tuple  # (post, rank, how many)
    middle: tuple  # (post, rank[, teaching/research])
    staff: tuple
    depts: tuple
    size: int  # typical number of registered travellers, before scaling to the total
    middle_share: float = 0.3

    @property
    def leader_count(self) -> int:
        return sum(count for _post, _rank, count in self.leaders)


_SECTION_STAFF = (
    ("{dept}一级主任科员", SECTION),
    ("{dept}三级主任科员", SECTION),
    ("{dept}科员", OTHER),
)
_PROV_MIDDLE = (("{dept}处长", DF), ("{dept}副处长", DD), ("{dept}一级调研员", DF))


def _from_catalog(kind: str, leaders: tuple, size: int, **more) -> Kind:
    """A kind of the showcase units (catalog.UNITS, whose heads exist already): the catalog's
    middle managers, staff and departments (``more`` adds to them), with a full leadership for
    the units the scale path adds."""
    spec = catalog.POSTS[kind]
    parts = {part: tuple(spec[part]) + more.pop(part, ()) for part in ("middle", "staff", "depts")}
    return Kind(leaders=leaders, size=size, **parts, **more)


def _leadership(leaders: tuple, size: int) -> Kind:
    """The region's government, congress and political consultative conference: the few
    provincial/ministerial-level (省部级) travellers and the bureau-level secretaries-general."""
    depts = ("秘书一处", "秘书二处", "综合处", "外事处", "督查室", "信息处")
    return Kind(leaders=leaders, middle=_PROV_MIDDLE, staff=_SECTION_STAFF, depts=depts, size=size)


KINDS = {
    "gov_prov": _from_catalog(
        "gov_prov",
        (("厅长", BF, 1), ("副厅长", BD, 4), ("一级巡视员", BF, 1), ("二级巡视员", BD, 2)),
        300,
    ),
    "gov_city": _from_catalog("gov_city", (("局长", DF, 1), ("副局长", DD, 3)), 100),
    "gov_county": _from_catalog("gov_county", (("主任", SECTION, 1), ("副主任", SECTION, 2)), 35),
    "university": _from_catalog(
        "university",
        (("党委书记", BF, 1), ("校长", BF, 1), ("副校长", BD, 5)),
        1500,
        staff=(("{dept}讲师", OTHER, True),),
        depts=("计算机与电子信息学院", "经济学院", "医学院"),
        middle_share=0.1,
    ),
    "hospital": _from_catalog(
        "hospital", (("院长", DF, 1), ("副院长", DD, 4)), 800, middle_share=0.1
    ),
    "academy": _from_catalog(
        "academy", (("院长", BF, 1), ("副院长", BD, 3)), 400, middle_share=0.15
    ),
    "enterprise": _from_catalog(
        "enterprise", (("董事长", BF, 1), ("总经理", BD, 1), ("副总经理", BD, 3)), 800
    ),
    "prov_government": _leadership(
        (("自治区主席", PF, 1), ("自治区副主席", PD, 7), ("秘书长", BF, 1), ("副秘书长", BD, 8)),
        150,
    ),
    "prov_congress": _leadership(
        (
            ("自治区人大常委会主任", PF, 1),
            ("自治区人大常委会副主任", PD, 6),
            ("秘书长", BF, 1),
            ("副秘书长", BD, 3),
        ),
        100,
    ),
    "prov_cppcc": _leadership(
        (
            ("自治区政协主席", PF, 1),
            ("自治区政协副主席", PD, 8),
            ("秘书长", BF, 1),
            ("副秘书长", BD, 3),
        ),
        100,
    ),
    "prov_dept": Kind(
        leaders=(("厅长", BF, 1), ("副厅长", BD, 4), ("一级巡视员", BF, 1), ("二级巡视员", BD, 2)),
        middle=_PROV_MIDDLE,
        staff=_SECTION_STAFF,
        depts=("办公室", "政策法规处", "规划财务处", "人事处", "国际合作处", "综合处", "科技处"),
        size=300,
    ),
    "city_gov": Kind(
        leaders=(("市长", BF, 1), ("副市长", BD, 6), ("秘书长", DF, 1), ("副秘书长", DD, 4)),
        middle=(("{dept}科长", SECTION), ("{dept}副科长", SECTION)),
        staff=(("{dept}一级科员", OTHER), ("{dept}科员", OTHER)),
        depts=("秘书科", "综合科", "督查科", "外事科", "金融工作科"),
        size=150,
    ),
    "city_bureau": Kind(
        leaders=(("局长", DF, 1), ("副局长", DD, 3)),
        middle=(("{dept}科长", SECTION), ("{dept}副科长", SECTION)),
        staff=(("{dept}一级科员", OTHER), ("{dept}科员", OTHER)),
        depts=("办公室", "综合科", "规划科", "财务科", "业务科", "法规科"),
        size=100,
    ),
    "county_gov": Kind(
        leaders=(("{title}长", DF, 1), ("副{title}长", DD, 5), ("政府办主任", SECTION, 1)),
        middle=(("{dept}主任", SECTION), ("{dept}副主任", SECTION)),
        staff=(("{dept}科员", OTHER),),
        depts=("政府办", "发展研究中心", "金融办", "外事办"),
        size=60,
    ),
    "county_bureau": Kind(
        leaders=(("局长", SECTION, 1), ("副局长", SECTION, 2)),
        middle=(("{dept}股长", OTHER),),
        staff=(("{dept}科员", OTHER), ("{dept}一级科员", OTHER)),
        depts=("办公室", "综合股", "业务股", "财务股"),
        size=35,
    ),
}


@dataclass(frozen=True)
class UnitSpec:
    name: str
    level: str  # Unit.Level value
    area: str  # area code: the office that handles its cases is found from it
    prefix: str  # USCC prefix: 11 government organ, 12 public institution, 91 enterprise
    kind: str
    scale: float = 1.0  # of the kind's typical size
    title: str = ""  # 县, 区 or 市, for a county government's leaders

    @property
    def region(self) -> str:
        """Where most of its people were born: the province, the city or the county."""
        return (
            self.area[:2]
            if self.area.endswith("0000")
            else (self.area[:4] if self.area.endswith("00") else self.area)
        )


_PROV = "广西壮族自治区"
# fmt: off
PROVINCE_UNITS = [
    UnitSpec(f"{_PROV}人民政府办公厅", "provincial", "450000", "11", "prov_government"),
    UnitSpec(f"{_PROV}人民代表大会常务委员会办公厅", "provincial", "450000", "11", "prov_congress"),
    UnitSpec(f"中国人民政治协商会议{_PROV}委员会办公厅", "provincial", "450000", "11", "prov_cppcc"),
    *[UnitSpec(f"{_PROV}{name}", "provincial", "450000", "11", "prov_dept") for name in [
        "发展和改革委员会", "财政厅", "民政厅", "司法厅", "人力资源和社会保障厅", "自然资源厅",
        "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅", "林业局", "审计厅",
        "人民政府国有资产监督管理委员会", "市场监督管理局", "广播电视局", "体育局", "统计局",
        "医疗保障局", "应急管理厅", "退役军人事务厅", "民族宗教事务委员会", "大数据发展局",
        "投资促进局", "海洋局", "粮食和物资储备局", "药品监督管理局", "地方金融管理局",
        "机关事务管理局", "文物局", "中医药管理局", "知识产权局", "北部湾经济区规划建设管理办公室",
    ]],
    *[UnitSpec(name, "provincial", "450000", "12", "university", scale) for name, scale in [
        ("广西师范大学", 1.0), ("广西民族大学", 0.8), ("广西医科大学", 1.0), ("桂林电子科技大学", 0.9),
        ("桂林理工大学", 0.8), ("广西科技大学", 0.7), ("广西中医药大学", 0.6), ("南宁师范大学", 0.6),
        ("广西财经学院", 0.4), ("广西艺术学院", 0.3), ("玉林师范学院", 0.3), ("北部湾大学", 0.4),
        ("桂林医学院", 0.4), ("右江民族医学院", 0.3),
    ]],
    *[UnitSpec(f"{_PROV}{name}", "provincial", "450000", "12", "hospital") for name in [
        "人民医院", "妇幼保健院", "江滨医院", "骨伤医院", "肿瘤防治研究所",
    ]],
    UnitSpec("广西医科大学第二附属医院", "provincial", "450000", "12", "hospital"),
    UnitSpec("广西中医药大学第一附属医院", "provincial", "450000", "12", "hospital"),
    *[UnitSpec(name, "provincial", "450000", "12", "academy") for name in [
        "广西社会科学院", "广西科学院", f"{_PROV}林业科学研究院", f"{_PROV}水产科学研究院",
    ]],
    *[UnitSpec(f"广西{name}", "provincial", "450000", "91", "enterprise", 0.8) for name in [
        "投资集团有限公司", "柳州钢铁集团有限公司", "农村投资集团有限公司", "交通投资集团有限公司",
        "北部湾投资集团有限公司", "旅游发展集团有限公司", "西江开发投资集团有限公司",
        "建工集团有限责任公司",
    ]],
]
# (bureau, USCC prefix, kind, scale)
CITY_BUREAUS = [
    ("发展和改革委员会", "11", "city_bureau", 1.0), ("教育局", "11", "city_bureau", 1.0),
    ("科学技术局", "11", "city_bureau", 1.0), ("工业和信息化局", "11", "city_bureau", 1.0),
    ("财政局", "11", "city_bureau", 1.0), ("人力资源和社会保障局", "11", "city_bureau", 1.0),
    ("自然资源局", "11", "city_bureau", 1.0), ("生态环境局", "11", "city_bureau", 1.0),
    ("住房和城乡建设局", "11", "city_bureau", 1.0), ("交通运输局", "11", "city_bureau", 1.0),
    ("水利局", "11", "city_bureau", 1.0), ("农业农村局", "11", "city_bureau", 1.0),
    ("商务局", "11", "city_bureau", 1.2), ("文化广电和旅游局", "11", "city_bureau", 1.0),
    ("卫生健康委员会", "11", "city_bureau", 1.0), ("市场监督管理局", "11", "city_bureau", 1.0),
    ("林业局", "11", "city_bureau", 0.6), ("体育局", "11", "city_bureau", 0.6),
    ("投资促进局", "11", "city_bureau", 1.0), ("大数据发展局", "11", "city_bureau", 0.6),
    ("口岸管理办公室", "11", "city_bureau", 0.6), ("人民医院", "12", "hospital", 0.6),
    ("中医医院", "12", "hospital", 0.4), ("职业技术学院", "12", "university", 0.2),
    ("港口管理局", "11", "city_bureau", 0.6), ("外事侨务办公室", "11", "city_bureau", 0.6),
    ("民族宗教事务委员会", "11", "city_bureau", 0.6), ("统计局", "11", "city_bureau", 0.6),
    ("审计局", "11", "city_bureau", 0.6), ("应急管理局", "11", "city_bureau", 0.6),
]
COUNTY_BUREAUS = [
    ("人民政府办公室", "11", "county_gov", 1.0), ("发展和改革局", "11", "county_bureau", 1.0),
    ("教育局", "11", "county_bureau", 1.0), ("商务局", "11", "county_bureau", 1.0),
    ("农业农村局", "11", "county_bureau", 1.0), ("文化广电体育和旅游局", "11", "county_bureau", 1.0),
    ("科学技术局", "11", "county_bureau", 0.8), ("工业和信息化局", "11", "county_bureau", 0.8),
    ("财政局", "11", "county_bureau", 0.8), ("卫生健康局", "11", "county_bureau", 0.8),
    ("人民医院", "12", "hospital", 0.25), ("自然资源局", "11", "county_bureau", 0.8),
    ("住房和城乡建设局", "11", "county_bureau", 0.8), ("交通运输局", "11", "county_bureau", 0.8),
    ("水利局", "11", "county_bureau", 0.8), ("市场监督管理局", "11", "county_bureau", 0.8),
    ("中医医院", "12", "hospital", 0.15),
]
# fmt: on


def _windows(county: str) -> list[tuple[int, int, str]]:
    """``[1983-2003]新城区,[2004-]青秀区`` -> [(1983, 2003, 新城区), (2004, 9999, 青秀区)]."""
    result = []
    for part in county.split(","):
        found = re.fullmatch(r"\[(\d*)-(\d*)\](.+)", part)
        if found:
            start, end, name = found.groups()
            result.append((int(start or 0), int(end or 9999), name))
        else:
            result.append((0, 9999, part))
    return result


@lru_cache(maxsize=64)
def area_codes(province: str) -> tuple[tuple[str, tuple], ...]:
    """The county-level codes of a province with the years each was in use, from python-stdnum
    (which judges an ID number's area code by the birth year): ((code, windows), ...)."""
    top = next(entry for entry in numdb.get("cn/loc").prefixes if entry[1] == province)
    codes = []
    for _length, low, high, props, _children in top[4]:
        if low != high or low.endswith("00"):
            continue
        windows = tuple(w for w in _windows(props.get("county", "")) if w[2] != "市辖区")
        if windows:
            codes.append((province + low, windows))
    return tuple(codes)


def counties() -> list[tuple[str, str]]:
    """The province's current counties, county-level cities and districts: [(code, name)]."""
    return [
        (code, windows[-1][2])
        for code, windows in area_codes(catalog.PROVINCE_CODE[:2])
        if windows[-1][1] == 9999
    ]


def _county_units() -> list[UnitSpec]:
    city_names = dict(CITIES)
    result = []
    for bureau, prefix, kind, scale in COUNTY_BUREAUS:
        for code, name in counties():
            city = city_names.get(code[:4] + "00", "")
            full = f"{city}{name}" if name.endswith("区") else name  # 南宁市青秀区, 隆安县
            result.append(
                UnitSpec(f"{full}{bureau}", "county", code, prefix, kind, scale, title=name[-1])
            )
    return result


def unit_specs() -> list[UnitSpec]:
    """Every unit the scale path may add, interleaved (province, city government, city bureau,
    county unit, ...) so that the first few dozen already mix every level, and the region's
    leadership comes first."""
    city_governments = [
        UnitSpec(f"{name}人民政府办公室", "city", code, "11", "city_gov") for code, name in CITIES
    ]
    city_bureaus = [
        UnitSpec(f"{name}{bureau}", "city", code, prefix, kind, scale)
        for bureau, prefix, kind, scale in CITY_BUREAUS
        for code, name in CITIES
    ]
    groups = [PROVINCE_UNITS, city_governments, city_bureaus, _county_units()]
    return [spec for row in zip_longest(*groups) for spec in row if spec is not None]


def catalog_specs() -> dict[str, UnitSpec]:
    """The showcase units (catalog.UNITS) described the same way, by name."""
    return {
        name: UnitSpec(name, level, authority, prefix, kind)
        for _key, name, _short, level, authority, prefix, kind, _n in catalog.UNITS
    }
