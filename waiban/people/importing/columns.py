"""The columns of the import sheet and the words a clerk may write in them."""

import datetime as dt

from waiban.core.spreadsheets import Column
from waiban.people.idnumber import check_character
from waiban.people.models import Rank, SecretLevel, Sex

MAX_ROWS = 2000

# Short Chinese names as clerks write them; the sheet's drop-down lists offer these.
SEX_WORDS = {Sex.MALE: "男", Sex.FEMALE: "女"}
RANK_WORDS = {
    Rank.PROVINCIAL_FULL: "省部级正职",
    Rank.PROVINCIAL_DEPUTY: "省部级副职",
    Rank.BUREAU_FULL: "厅局级正职",
    Rank.BUREAU_DEPUTY: "厅局级副职",
    Rank.DIVISION_FULL: "县处级正职",
    Rank.DIVISION_DEPUTY: "县处级副职",
    Rank.SECTION: "乡科级",
    Rank.OTHER: "其他",
}
SECRET_WORDS = {
    SecretLevel.NONE: "非涉密",
    SecretLevel.GENERAL: "一般涉密",
    SecretLevel.IMPORTANT: "重要涉密",
    SecretLevel.CORE: "核心涉密",
}
YES_WORDS = {"是", "y", "yes", "1", "true", "√", "✓"}
NO_WORDS = {"否", "n", "no", "0", "false", ""}


COLUMNS = [
    Column("name_zh", "姓名", required=True),
    Column("surname_pinyin", "姓（拼音）"),
    Column("given_name_pinyin", "名（拼音）"),
    Column("id_number", "身份证号", required=True),
    Column("sex", "性别"),
    Column("birth_date", "出生日期"),
    Column("post", "职务", required=True),
    Column("rank", "职级", required=True),
    Column("secret_level", "涉密等级"),
    Column("phone", "手机号码"),
    Column("is_teaching_research", "教学科研人员"),
    Column("in_leadership_team", "领导班子成员"),
]
# Yes/no columns: 是 or 否 (empty means no).
YES_NO_KEYS = ("is_teaching_research", "in_leadership_team")
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

_EXAMPLE_FIRST17 = "11010119800101002"
EXAMPLE_ID = _EXAMPLE_FIRST17 + check_character(_EXAMPLE_FIRST17)
EXAMPLE_ROW = {
    "name_zh": "单雪梅",
    "surname_pinyin": "SHAN",
    "given_name_pinyin": "XUEMEI",
    "id_number": EXAMPLE_ID,
    "sex": "女",
    "birth_date": dt.date(1980, 1, 1),
    "post": "处长",
    "rank": "县处级正职",
    "secret_level": "非涉密",
    "phone": "13800138000",
    "is_teaching_research": "否",
    "in_leadership_team": "否",
}
