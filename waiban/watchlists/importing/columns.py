"""The columns of a control list's file, the words a header may use, and the instructions
sheet of the template."""

from django.utils.translation import gettext_lazy

from waiban.core.spreadsheets import Column

MAX_ROWS = 200_000

COLUMNS = [
    Column("name", "姓名", required=True),
    Column("birth_date", "出生日期"),
    Column("id_number", "身份证号"),
    Column("note", "备注"),
    Column("source", "来源"),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_WORDS = {"name": {"名字", "name_zh"}, "id_number": {"身份证号码", "证件号码"}}

INSTRUCTIONS = [
    gettext_lazy("One person per row on the first sheet, from row 2; row 1 holds the headers."),
    gettext_lazy("Name: as written in the source, Chinese (simplified or traditional) or pinyin."),
    gettext_lazy(
        "ID number: 18 characters or 15 digits; only a keyed hash is stored. Without an ID "
        "number, a birth date is needed for the entry to match anybody."
    ),
    gettext_lazy(
        "Each upload is the complete new version of the list: people left out are deactivated."
    ),
]
