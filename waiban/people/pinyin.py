"""Passport-style pinyin names (GB/T 28039-2011): SURNAME and GIVEN NAME in capitals, ü as YU.

pypinyin picks the common reading of a character; surnames often have their own reading (单 Shan,
not Dan), so the surname is looked up here first. The clerk can always correct the suggestion.
"""

from pypinyin import Style, lazy_pinyin

COMPOUND_SURNAMES = {
    "欧阳": "OUYANG",
    "司马": "SIMA",
    "诸葛": "ZHUGE",
    "上官": "SHANGGUAN",
    "东方": "DONGFANG",
    "皇甫": "HUANGFU",
    "令狐": "LINGHU",
    "慕容": "MURONG",
    "尉迟": "YUCHI",
    "宇文": "YUWEN",
    "长孙": "ZHANGSUN",
    "司徒": "SITU",
    "夏侯": "XIAHOU",
    "公孙": "GONGSUN",
    "轩辕": "XUANYUAN",
    "澹台": "TANTAI",
    "端木": "DUANMU",
    "万俟": "MOQI",
    "申屠": "SHENTU",
    "闻人": "WENREN",
}
SURNAME_READINGS = {
    "单": "SHAN",
    "曾": "ZENG",
    "解": "XIE",
    "仇": "QIU",
    "朴": "PIAO",
    "查": "ZHA",
    "区": "OU",
    "盖": "GE",
    "华": "HUA",
    "乐": "YUE",
    "缪": "MIAO",
    "覃": "QIN",
    "种": "CHONG",
    "员": "YUN",
    "召": "SHAO",
    "秘": "BI",
    "折": "SHE",
    "翟": "ZHAI",
    "相": "XIANG",
    "重": "CHONG",
    "过": "GUO",
    "曲": "QU",
    "黑": "HE",
    "繁": "PO",
    "教": "JIAO",
    "句": "GOU",
    "阚": "KAN",
    "宓": "FU",
    "隗": "WEI",
    "冼": "XIAN",
    "沈": "SHEN",
    "尉": "YU",
    "长": "CHANG",
    "朝": "CHAO",
}


def _syllables(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.NORMAL, v_to_u=False)).upper().replace("V", "YU")


def split_name(name_zh: str) -> tuple[str, str]:
    name = (name_zh or "").strip()
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def suggest_pinyin(name_zh: str) -> tuple[str, str]:
    """(surname, given name) in passport spelling, e.g. 单雪梅 -> ("SHAN", "XUEMEI")."""
    surname, given = split_name(name_zh)
    surname_py = (
        COMPOUND_SURNAMES.get(surname) or SURNAME_READINGS.get(surname) or _syllables(surname)
    )
    return surname_py, _syllables(given)
