"""What the Excel imports share: a column's bilingual header and a cell read as text."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # the field it fills, also the English name in the header
    zh: str
    required: bool = False

    @property
    def header(self) -> str:
        """``姓名* / name_zh``: clerks read the Chinese, the importer also accepts the English."""
        return f"{self.zh}{'*' if self.required else ''} / {self.key}"


def cell_text(value) -> str:
    """A cell as the clerk typed it: Excel turns ``13800138000`` into ``13800138000.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
