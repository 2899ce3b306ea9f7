"""Country names as a Chinese foreign affairs office writes them.

django-countries' Chinese translations have mistakes: typos (尼珀尔), a truncated name
(波斯尼亚和黑塞哥维), Samoa as 美属萨摩亚群岛, outdated or long official names, and Hong Kong,
Macao and Taiwan named like countries. ``COUNTRIES_OVERRIDE`` (settings) replaces those names
with ours, so every place that names a country - the pickers, a stop's country, rule messages,
documents - names it the same way. Hong Kong, Macao and Taiwan are regions of China in every
language (中国香港; Hong Kong, China).

Settings reads this module before the apps are loaded: it imports nothing from them.
"""

from django.utils.functional import lazy
from django.utils.translation import get_language

# The names as Chinese official usage gives them (the Ministry of Foreign Affairs' country pages);
# the comment says what the translation had where that is not obvious.
ZH_NAMES = {
    "HK": "中国香港",
    "MO": "中国澳门",
    "TW": "中国台湾",
    "NP": "尼泊尔",  # 尼珀尔
    "BA": "波斯尼亚和黑塞哥维那",  # truncated
    "WS": "萨摩亚",  # was American Samoa's name
    "AS": "美属萨摩亚",
    "TJ": "塔吉克斯坦",  # 塔吉克斯斯坦
    "KG": "吉尔吉斯斯坦",
    "KR": "韩国",  # the translation says 朝鲜 (North Korea)
    "MK": "北马其顿",
    "DM": "多米尼克",  # 多米尼加 is the Dominican Republic
    "CG": "刚果（布）",  # two countries called 刚果: told apart as the office does
    "CD": "刚果（金）",
    "BW": "博茨瓦纳",  # 博兹瓦纳
    "GF": "法属圭亚那",  # 法属奎亚那
    "BS": "巴哈马",
    "KM": "科摩罗",  # an official name out of use since 2001
    "LR": "利比里亚",  # short names, like every other country's
    "ML": "马里",
    "SR": "苏里南",
    "TT": "特立尼达和多巴哥",
    "SJ": "斯瓦尔巴群岛和扬马延岛",  # a leading blank
    "CC": "科科斯（基林）群岛",
    "BL": "圣巴泰勒米",
    "RE": "留尼汪",
    "GP": "瓜德罗普",
    "AW": "阿鲁巴",
}

EN_NAMES = {
    "HK": "Hong Kong, China",
    "MO": "Macao, China",
    "TW": "Taiwan, China",
}


def _name(code: str) -> str:
    if (get_language() or "").lower().startswith("zh"):
        return ZH_NAMES[code]
    if code in EN_NAMES:
        return EN_NAMES[code]
    # Another language: django-countries' own name, as it would have shown it.
    from django_countries import Countries
    from django_countries.data import COUNTRIES

    return str(Countries.COMMON_NAMES.get(code) or COUNTRIES[code])


country_name = lazy(_name, str)

# For settings.COUNTRIES_OVERRIDE: each name is worked out in the reader's language.
COUNTRY_OVERRIDES = {code: country_name(code) for code in ZH_NAMES}
