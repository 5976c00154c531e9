"""Whose downloaded page this is, and which form: certain or not guessed."""

from app.core.blanks import Person, kind_of, match_case, shown_code
from app.core.models import Slot

ZHANG = Person(1, "张三", "420202198501011235")
ZHANGSANFENG = Person(2, "张三丰", "42020319900202123X")
LI = Person(3, "李四", "420204197803031237")
LI_CLOSED = Person(4, "李四", "420204197803031237", open=False)  # the same person, an earlier plan
PEOPLE = [ZHANG, ZHANGSANFENG, LI, LI_CLOSED]


def test_the_title_words_name_the_form() -> None:
    assert kind_of("基层单位推荐意见（单位审核意见表）\n姓名") is Slot.OPINION
    assert kind_of("年度及任职期满考核结果") is Slot.APPRAISAL
    assert kind_of("考核表(3).pdf") is Slot.APPRAISAL
    assert kind_of("单位 审核 意见表") is Slot.OPINION  # spaced title letters
    assert kind_of("download.pdf") is None
    # both named: the title (the top of the page) decides, else nobody guesses
    assert kind_of("单位审核意见表" + "x" * 100 + "（见考核表）") is Slot.OPINION
    assert kind_of("x" * 100 + "单位审核意见表 考核表") is None


def test_a_full_id_number_or_a_name_of_one_case_alone() -> None:
    assert match_case(PEOPLE, ["身份证号 420202198501011235"]).case_id == 1
    assert match_case(PEOPLE, ["HBZC-42020319900202123X-7"]).case_id == 2  # in the code's text
    assert match_case(PEOPLE, ["姓名 张三丰"]).case_id == 2  # 张三 inside 张三丰 is not 张三
    assert match_case(PEOPLE, ["", "", "张三-考核表.pdf"]).case_id == 1
    assert match_case(PEOPLE, ["420204197803031237"]).case_id == 3  # the open case of that person


def test_what_is_not_certain_is_not_guessed() -> None:
    two = match_case(PEOPLE, ["张三 与 李四"])
    assert two.case_id is None and "几个申报人" in two.reason
    other = match_case(PEOPLE, ["李四 420202198501011235"])
    assert other.case_id is None and other.guess == 1
    twins = match_case([ZHANG, Person(9, "张三", "420205199912121238")], ["姓名 张三 420202********1235"])
    assert twins.case_id is None and "都叫张三" in twins.reason
    assert match_case(PEOPLE, ["420202********1235"]).case_id is None  # a masked number is no proof


def test_a_codes_text_is_shown_masked_and_short() -> None:
    shown = shown_code("PORTAL|420202198501011235|流程 7|" + "9" * 60)
    assert "420202198501011235" not in shown and "420202********1235" in shown
    assert len(shown) <= 41 and shown.endswith("…")
