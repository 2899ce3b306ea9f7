import pytest

from waiban.watchlists.names import person_keys, pinyin_key, segment, zh_key


@pytest.mark.parametrize("written", ["张伟", "張偉", " 张 伟 "])
def test_simplified_and_traditional_characters_give_the_same_name_key(written):
    assert zh_key(written) == zh_key("张伟")


@pytest.mark.parametrize(
    "written", ["张伟", "張偉", "ZHANG WEI", "Zhang Wei", "Wei ZHANG", "ＺＨＡＮＧ　ＷＥＩ"]
)
def test_chinese_and_pinyin_spellings_give_the_same_pinyin_key(written):
    assert pinyin_key(written) == pinyin_key("张伟") == "WEI ZHANG"


def test_transposed_given_names_give_the_same_keys():
    assert zh_key("张伟明") == zh_key("张明伟") == zh_key("張偉明")
    assert pinyin_key("张明伟") == pinyin_key("ZHANG WEIMING") == pinyin_key("Zhang Ming-Wei")


def test_different_names_give_different_keys():
    assert zh_key("张伟") != zh_key("张伟明")
    assert pinyin_key("张伟") != pinyin_key("王伟")


def test_surname_readings_and_u_umlaut_follow_passport_spelling():
    assert pinyin_key("单雪梅") == pinyin_key("SHAN XUEMEI")
    assert (
        pinyin_key("吕方")
        == pinyin_key("LYU FANG")
        == pinyin_key("LV FANG")
        == pinyin_key("Lü Fang")
    )
    assert pinyin_key("欧阳修") == pinyin_key("OUYANG XIU")


def test_a_word_that_is_not_pinyin_is_kept_whole():
    assert segment("WEIMING") == ["WEI", "MING"]
    assert segment("SMITH") == ["SMITH"]


def test_a_travellers_corrected_pinyin_is_a_second_key():
    zh, pinyin = person_keys(name_zh="曾伟", surname_pinyin="ZENG", given_name_pinyin="WEI")
    assert zh == {"曾伟"}
    assert "WEI ZENG" in pinyin
