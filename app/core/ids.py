"""Identity numbers: 居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Pure functions, no I/O. A check never raises for bad input: it returns a result with a
Chinese message the officer can act on. ``require_*`` raise :class:`UsageError` instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from app.core.errors import UsageError

# 省级行政区划代码 (GB/T 2260) plus 81/82/83 (港澳台居民居住证) and 91 (外国人永久居留身份证).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(n) for n in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47))]
    + [str(n) for n in (*range(50, 55), *range(61, 66))]
    + ["71", "81", "82", "83", "91"]
)

# ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# 登记管理部门码: 1 机构编制, 5 民政, 9 工商/市场监管, Y 其他, and the rest the standard allows.
_CREDIT_REGISTRARS = frozenset("123456789ABCDEFGHNY")
# 登记管理机关行政区划码 may be 100000 for bodies registered by a central department.
_CREDIT_REGION_PREFIXES = PROVINCE_CODES | {"10"}


@dataclass(frozen=True)
class IdCheck:
    """Outcome of checking a 居民身份证号码.

    ``value`` is the normalized text (even when not ok); ``birth_date`` and ``sex`` are
    only set when ``ok``.
    """

    ok: bool
    value: str
    message: str | None = None
    birth_date: date | None = None
    sex: str | None = None


@dataclass(frozen=True)
class CreditCodeCheck:
    """Outcome of checking a 统一社会信用代码.

    ``ok`` with a ``warning`` means the code is usable but deserves a look (only its check
    character disagrees); ``ok=False`` carries the blocking ``message``.
    """

    ok: bool
    value: str
    warning: str | None = None
    message: str | None = None


def _normalize(text: str) -> str:
    # NFKC turns full-width digits and letters (common with Chinese input methods) into ASCII.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character (0-9 or X) for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"id_check_char needs 17 ASCII digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def check_id_number(text: str, today: date | None = None) -> IdCheck:
    """Check a 18-digit 居民身份证号码: length, digits, province, birth date, check digit.

    ``today`` bounds the birth date (defaults to the system date).
    """
    value = _normalize(text)

    def fail(message: str) -> IdCheck:
        return IdCheck(ok=False, value=value, message=message)

    if not value:
        return fail("证件号码不能为空")
    if len(value) == 15 and value.isascii() and value.isdigit():
        return fail("这是15位的旧身份证号码，请改用18位居民身份证号码")
    if len(value) != 18:
        return fail(f"证件号码应为18位，当前为{len(value)}位")
    for position, char in enumerate(value[:17], start=1):
        if not ("0" <= char <= "9"):
            return fail(f"证件号码前17位只能是数字，第{position}位为“{char}”")
    if not ("0" <= value[17] <= "9" or value[17] == "X"):
        return fail(f"证件号码最后一位只能是数字或X，当前为“{value[17]}”")
    if value[:2] not in PROVINCE_CODES:
        return fail(f"证件号码前两位“{value[:2]}”不是有效的省级行政区划代码")

    digits = value[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return fail(f"证件号码中的出生日期{digits}不存在")
    if birth < _EARLIEST_BIRTH:
        return fail(f"证件号码中的出生日期{digits}早于1900年")
    if birth > (today or date.today()):
        return fail(f"证件号码中的出生日期{digits}晚于今天")

    expected = id_check_char(value[:17])
    if value[17] != expected:
        return fail(f"证件号码校验位错误：最后一位应为{expected}")

    sex = "男" if int(value[16]) % 2 else "女"
    return IdCheck(ok=True, value=value, birth_date=birth, sex=sex)


def require_id_number(text: str, today: date | None = None) -> str:
    """The normalized 居民身份证号码, or :class:`UsageError` saying what is wrong."""
    result = check_id_number(text, today)
    if not result.ok:
        raise UsageError(
            result.message or "证件号码无效",
            fix="请核对居民身份证号码（18位，最后一位可能为X）后重新输入",
        )
    return result.value


def mask_id(text: str) -> str:
    """Hide an ID for display: "420202********1234"; other lengths keep only the last 4.

    Text of 4 characters or fewer is starred entirely.
    """
    value = _normalize(text)
    if len(value) == 18:
        return value[:6] + "*" * 8 + value[14:]
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def credit_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in CREDIT_CHARSET for c in first17):
        raise ValueError(f"credit_check_char needs 17 characters of {CREDIT_CHARSET}, got {first17!r}")
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def check_credit_code(text: str) -> CreditCodeCheck:
    """Check a 统一社会信用代码.

    Wrong length, characters, 登记管理部门码 or 行政区划码 block. A code whose only fault
    is the check character is accepted with a warning: some early pilot codes were
    issued that way and are still on valid business licences.
    """
    value = _normalize(text)

    def fail(message: str) -> CreditCodeCheck:
        return CreditCodeCheck(ok=False, value=value, message=message)

    if not value:
        return fail("统一社会信用代码不能为空")
    if len(value) != 18:
        return fail(f"统一社会信用代码应为18位，当前为{len(value)}位")
    for position, char in enumerate(value, start=1):
        if char not in CREDIT_CHARSET:
            return fail(
                f"统一社会信用代码第{position}位“{char}”不是有效字符（只用数字和除I、O、Z、S、V以外的大写字母）"
            )
    if value[0] not in _CREDIT_REGISTRARS:
        return fail(f"统一社会信用代码第1位（登记管理部门码）“{value[0]}”无效")
    region = value[2:8]
    if not region.isdigit():
        return fail(f"统一社会信用代码第3-8位（登记管理机关行政区划码）应为数字，当前为“{region}”")
    if region[:2] not in _CREDIT_REGION_PREFIXES:
        return fail(f"统一社会信用代码第3-8位行政区划码“{region}”无效")

    expected = credit_check_char(value[:17])
    if value[17] != expected:
        return CreditCodeCheck(
            ok=True,
            value=value,
            warning=(f"统一社会信用代码校验位不符（应为{expected}），部分早期代码存在此情况，请核对营业执照"),
        )
    return CreditCodeCheck(ok=True, value=value)
