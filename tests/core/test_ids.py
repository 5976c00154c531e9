from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ZcwsError
from app.core.ids import (
    CREDIT_CHARSET,
    PROVINCE_CODES,
    check_credit_code,
    check_id_number,
    credit_check_char,
    id_check_char,
    mask_id,
    require_id_number,
)

TODAY = date(2024, 6, 1)


def make_id(region: str, birth: str, seq: str) -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


# --- 居民身份证号码 -------------------------------------------------------------


def test_standard_example_ending_in_x() -> None:
    result = check_id_number("11010519491231002X", TODAY)
    assert result.ok
    assert result.message is None
    assert result.value == "11010519491231002X"
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex == "女"


def test_lowercase_x_is_accepted_and_normalized() -> None:
    result = check_id_number("  11010519491231002x ", TODAY)
    assert result.ok
    assert result.value == "11010519491231002X"


def test_full_width_digits_and_inner_spaces_are_normalized() -> None:
    result = check_id_number("１１０１０５ 19491231 002X", TODAY)
    assert result.ok
    assert result.value == "11010519491231002X"


def test_sex_from_seventeenth_digit() -> None:
    assert check_id_number(make_id("420202", "19900101", "123"), TODAY).sex == "男"
    assert check_id_number(make_id("420202", "19900101", "124"), TODAY).sex == "女"


def test_wrong_check_digit_names_the_right_one() -> None:
    result = check_id_number("110105194912310021", TODAY)
    assert not result.ok
    assert result.message == "证件号码校验位错误：最后一位应为X"
    assert result.birth_date is None and result.sex is None


def test_x_where_a_digit_belongs() -> None:
    valid = make_id("420202", "19850315", "001")
    assert valid[-1] != "X"
    result = check_id_number(valid[:17] + "X", TODAY)
    assert not result.ok
    assert result.message == f"证件号码校验位错误：最后一位应为{valid[-1]}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("11010519491231002", "证件号码应为18位，当前为17位"),
        ("11010519491231002X1", "证件号码应为18位，当前为19位"),
        ("", "证件号码不能为空"),
        ("   ", "证件号码不能为空"),
    ],
)
def test_length(text: str, message: str) -> None:
    result = check_id_number(text, TODAY)
    assert not result.ok
    assert result.message == message


def test_old_15_digit_number_asks_for_18_digits() -> None:
    result = check_id_number("110105491231002", TODAY)
    assert not result.ok
    assert "15位" in result.message
    assert "18位" in result.message


def test_letter_among_first_17() -> None:
    result = check_id_number("1101051949A231002X", TODAY)
    assert not result.ok
    assert result.message == "证件号码前17位只能是数字，第11位为“A”"


def test_bad_last_character() -> None:
    result = check_id_number("11010519491231002Y", TODAY)
    assert not result.ok
    assert result.message == "证件号码最后一位只能是数字或X，当前为“Y”"


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "38", "47", "55", "66", "72", "99"])
def test_invalid_province(province: str) -> None:
    result = check_id_number(make_id(province + "0102", "19900101", "001"), TODAY)
    assert not result.ok
    assert f"“{province}”" in result.message


@pytest.mark.parametrize("province", sorted(PROVINCE_CODES))
def test_every_province_accepted(province: str) -> None:
    assert check_id_number(make_id(province + "9999", "19900101", "001"), TODAY).ok


@pytest.mark.parametrize(
    ("birth", "ok"),
    [
        ("20000229", True),
        ("19960229", True),
        ("19000229", False),
        ("20230229", False),
        ("21000229", False),
        ("19900230", False),
        ("19901301", False),
        ("19900100", False),
        ("19900431", False),
    ],
)
def test_birth_dates(birth: str, ok: bool) -> None:
    result = check_id_number(make_id("420202", birth, "001"), date(2200, 1, 1))
    assert result.ok is ok
    if not ok:
        assert result.message == f"证件号码中的出生日期{birth}不存在"


def test_leap_day_birth_date_is_reported() -> None:
    result = check_id_number(make_id("420202", "20000229", "001"), TODAY)
    assert result.birth_date == date(2000, 2, 29)


def test_birth_before_1900() -> None:
    result = check_id_number(make_id("420202", "18991231", "001"), TODAY)
    assert not result.ok
    assert result.message == "证件号码中的出生日期18991231早于1900年"
    assert check_id_number(make_id("420202", "19000101", "001"), TODAY).ok


def test_birth_in_the_future() -> None:
    future = make_id("420202", "20240602", "001")
    result = check_id_number(future, TODAY)
    assert not result.ok
    assert result.message == "证件号码中的出生日期20240602晚于今天"
    assert check_id_number(future, date(2024, 6, 2)).ok


def test_require_returns_normalized_value() -> None:
    assert require_id_number(" 11010519491231002x", TODAY) == "11010519491231002X"


def test_require_raises_with_message_and_fix() -> None:
    with pytest.raises(ZcwsError) as caught:
        require_id_number("110105194912310021", TODAY)
    assert caught.value.message == "证件号码校验位错误：最后一位应为X"
    assert caught.value.fix.startswith("请核对居民身份证号码")


def test_id_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        id_check_char("1234")
    with pytest.raises(ValueError):
        id_check_char("1101051949123100X")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("420202199001011234", "420202********1234"),
        ("11010519491231002x", "110105********002X"),
        ("110105491231002", "***********1002"),
        ("12345", "*2345"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_id(text: str, masked: str) -> None:
    assert mask_id(text) == masked


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
id_first17 = st.builds(
    lambda province, area, birth, seq: province + area + birth.strftime("%Y%m%d") + seq,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    birth_dates,
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


@given(first17=id_first17, data=st.data())
def test_check_char_makes_valid_and_any_single_change_breaks_it(first17: str, data: st.DataObject) -> None:
    valid = first17 + id_check_char(first17)
    assert check_id_number(valid, TODAY).ok

    position = data.draw(st.integers(min_value=0, max_value=17), label="position")
    choices = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in choices if c != valid[position]]), label="replacement")
    changed = valid[:position] + replacement + valid[position + 1 :]
    assert not check_id_number(changed, TODAY).ok


# --- 统一社会信用代码 -----------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "91310110666007217T",
        "91310115591693856A",
        "91230184MA1BUFLT44",
        "92371000MA3MXH0E3W",
    ],
)
def test_published_credit_codes_are_valid(code: str) -> None:
    result = check_credit_code(code)
    assert result == check_credit_code(code.lower())
    assert result.ok
    assert result.warning is None
    assert result.message is None
    assert credit_check_char(code[:17]) == code[17]


def test_normalizes_case_and_spaces() -> None:
    result = check_credit_code(" 9135 0100 m000100y43 ")
    assert result.ok
    assert result.value == "91350100M000100Y43"


def test_only_check_char_wrong_is_a_warning() -> None:
    # A real early pilot code (Xiamen) whose check character disagrees with the standard.
    result = check_credit_code("91350211M00013FA1N")
    assert result.ok
    assert result.message is None
    assert result.warning == ("统一社会信用代码校验位不符（应为3），部分早期代码存在此情况，请核对营业执照")


def test_check_char_that_computes_to_zero() -> None:
    # Find a body whose sum is a multiple of 31, so 31 - 0 wraps to "0".
    first17 = next(body for body in (f"91420200MA{n:07d}" for n in range(1000)) if credit_check_char(body) == "0")
    result = check_credit_code(first17 + "0")
    assert result.ok
    assert result.warning is None


@pytest.mark.parametrize("bad", list("IOZSV"))
def test_excluded_letters_are_blocked(bad: str) -> None:
    code = "91350100M000100Y43"
    changed = code[:9] + bad + code[10:]
    result = check_credit_code(changed)
    assert not result.ok
    assert result.warning is None
    assert f"第10位“{bad}”" in result.message


def test_excluded_letter_as_check_char_is_blocked_not_warned() -> None:
    result = check_credit_code("91350100M000100Y4O")
    assert not result.ok
    assert "第18位“O”" in result.message


def test_punctuation_is_blocked() -> None:
    result = check_credit_code("91350100-M000100Y4")
    assert not result.ok


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "不能为空"),
        ("91350100M000100Y4", "应为18位，当前为17位"),
        ("91350100M000100Y433", "应为18位，当前为19位"),
        ("01350100M000100Y43", "登记管理部门码"),
        ("J1350100M000100Y43", "登记管理部门码"),
        ("9135A100M000100Y43", "应为数字"),
        ("91990100M000100Y43", "行政区划码“990100”无效"),
    ],
)
def test_blocking_credit_code_problems(code: str, fragment: str) -> None:
    result = check_credit_code(code)
    assert not result.ok
    assert result.warning is None
    assert fragment in result.message


def test_central_registration_region_is_accepted() -> None:
    first17 = "51100000500000123"
    assert check_credit_code(first17 + credit_check_char(first17)).ok


def test_credit_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        credit_check_char("9135")
    with pytest.raises(ValueError):
        credit_check_char("91350100I00010OY4")


credit_first17 = st.builds(
    lambda registrar, category, region, body: registrar + category + region + body,
    st.sampled_from("123456789ABCDEFGHNY"),
    st.sampled_from(CREDIT_CHARSET),
    st.sampled_from(["420200", "420281", "420222", "110000", "100000"]),
    st.text(alphabet=CREDIT_CHARSET, min_size=9, max_size=9),
)


@given(first17=credit_first17, data=st.data())
def test_credit_single_change_never_passes_cleanly(first17: str, data: st.DataObject) -> None:
    valid = first17 + credit_check_char(first17)
    result = check_credit_code(valid)
    assert result.ok
    assert result.warning is None

    position = data.draw(st.integers(min_value=0, max_value=17), label="position")
    replacement = data.draw(st.sampled_from([c for c in CREDIT_CHARSET if c != valid[position]]), label="replacement")
    changed = check_credit_code(valid[:position] + replacement + valid[position + 1 :])
    assert not changed.ok or changed.warning is not None
    if position == 17:
        assert changed.ok and changed.warning is not None
