"""The QR payload printed on our forms: versioned, compact and authenticated.

Format version 1 (see ``docs/qr-payload.md``)::

    ZW1.<kind><case>.<revision>.<day>.<mac>

All in QR alphanumeric mode (upper-case letters, digits and ``.``) so that the
code stays small at error-correction level H. ``case``, ``revision`` and ``day``
(days since 2024-01-01) are base 36; ``mac`` is HMAC-SHA256 over everything
before the last dot with the store's secret, truncated to 64 bits and written
as 13 base-32 characters. No name or ID number is carried.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.core.labels import Labelled

PREFIX = "ZW"
VERSION = 1
#: Where every form we print carries its code: (x, y, size) in mm from the top-left corner
#: of the A4 page, the square including the 4-module quiet zone; the top-right corner,
#: clear of the stamp areas at the bottom. The forms draw it there; a check looks there first.
QR_BOX_MM = (210.0 - 20.0 - 30.0 + 4.0, 10.0, 30.0)
EPOCH = date(2024, 1, 1)
MAC_BYTES = 8
MAC_CHARS = 13


class FormKind(Labelled):
    OPINION = "opinion", "单位审核意见表"
    APPRAISAL = "appraisal", "考核表"
    PUBLICITY = "publicity", "推荐单位公示证明"

    @property
    def code(self) -> str:
        return _KIND_CODES[self]

    @classmethod
    def noun(cls) -> str:
        return "表格"


_KIND_CODES = {FormKind.OPINION: "O", FormKind.APPRAISAL: "A", FormKind.PUBLICITY: "P"}
_KIND_BY_CODE = {v: k for k, v in _KIND_CODES.items()}


@dataclass(frozen=True)
class Payload:
    case_id: int
    kind: FormKind
    revision: int
    printed_on: date


class Failure(StrEnum):
    """Why a QR text is not a genuine payload of this store."""

    FOREIGN = "foreign"  # not ours at all
    NEWER = "newer"  # ours, from a newer format version
    MALFORMED = "malformed"  # our prefix, but not a valid body
    TAMPERED = "tampered"  # well-formed, but the MAC fails
    UNKNOWN_CASE = "unknown_case"  # genuine, but the case is not in this store (only with ``revision_of``)
    STALE = "stale"  # genuine, printed before the case's process revision changed (only with ``revision_of``)


@dataclass(frozen=True)
class Decoded:
    """What a QR text says. ``payload`` is set whenever the code is genuine, also when it
    is ``STALE`` or of an ``UNKNOWN_CASE``, so that the message can say when it was printed."""

    payload: Payload | None
    failure: Failure | None
    message: str

    @property
    def ok(self) -> bool:
        return self.failure is None


_BODY = re.compile(
    r"^ZW1\.([A-Z])([1-9A-Z][0-9A-Z]{0,7})\.([0-9]|[1-9A-Z][0-9A-Z]{0,3})\.([0-9]|[1-9A-Z][0-9A-Z]{0,3})$"
)
_VERSIONED = re.compile(r"^ZW([0-9A-Z])\.")
_MAC = re.compile(f"[A-Z2-7]{{{MAC_CHARS}}}")
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_CASE_ID = 36**8 - 1
MAX_REVISION = 36**4 - 1
MAX_DAY = EPOCH + timedelta(days=36**4 - 1)


def _b36(n: int) -> str:
    if n < 0:
        raise ValueError("negative")
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
        if n == 0:
            return out


def _mac(secret: bytes, body: str) -> str:
    digest = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()[:MAC_BYTES]
    return base64.b32encode(digest).decode("ascii").rstrip("=")


def encode(secret: bytes, payload: Payload) -> str:
    """The QR text for ``payload``, authenticated with ``secret``.

    Raises ``ValueError`` for values the format cannot carry (a case number from 1 to
    36⁸−1, a revision up to 36⁴−1, a day from 2024-01-01 to 2153-06-05).
    """
    day = (payload.printed_on - EPOCH).days
    if not 1 <= payload.case_id <= MAX_CASE_ID:
        raise ValueError(f"case id out of range: {payload.case_id}")
    if not 0 <= payload.revision <= MAX_REVISION:
        raise ValueError(f"revision out of range: {payload.revision}")
    if not 0 <= day <= (MAX_DAY - EPOCH).days:
        raise ValueError(f"printing day out of range: {payload.printed_on}")
    body = f"{PREFIX}{VERSION}.{payload.kind.code}{_b36(payload.case_id)}.{_b36(payload.revision)}.{_b36(day)}"
    return f"{body}.{_mac(secret, body)}"


def kind_named(text: str) -> FormKind | None:
    """The form a code of ours names, read before it is authenticated: for work that needs only the kind (which
    page of a stack is a 盖章页) and is thrown away unless :func:`decode` accepts the code."""
    body = text.rpartition(".")[0]
    match = _BODY.fullmatch(body)
    return None if match is None else _KIND_BY_CODE.get(match.group(1))


def decode(secret: bytes, text: str, revision_of: Callable[[int], int | None] | None = None) -> Decoded:
    """Parse and authenticate a QR text read from a page.

    With ``revision_of`` (the current process revision of a case, or None when the
    store has no such case) a genuine code is also checked against the store:
    ``UNKNOWN_CASE`` or ``STALE``. The comparison is on the exact, canonical text, so
    that every single-character change, even in the unused bit of the last MAC
    character or a leading zero, is refused.
    """
    head = _VERSIONED.match(text)
    if head is None:
        return Decoded(None, Failure.FOREIGN, "二维码不是职称网审助手打印的表格二维码")
    version = int(head.group(1), 36)
    if version > VERSION:
        return Decoded(
            None,
            Failure.NEWER,
            f"二维码来自更新版本的职称网审助手（格式版本 {version}），本程序只认识版本 {VERSION}，请升级后再检查",
        )
    if version != VERSION:
        return Decoded(None, Failure.MALFORMED, "二维码格式无法识别，可能被改动")
    body, _, mac = text.rpartition(".")
    match = _BODY.fullmatch(body)
    if match is None or _MAC.fullmatch(mac) is None or match.group(1) not in _KIND_BY_CODE:
        return Decoded(None, Failure.MALFORMED, "二维码格式无法识别，可能被改动")
    if not hmac.compare_digest(mac, _mac(secret, body)):
        return Decoded(None, Failure.TAMPERED, "二维码校验失败：不是本程序为本数据库打印的表格，或已被改动")
    kind_code, case, revision, day = match.groups()
    printed = EPOCH + timedelta(days=int(day, 36))
    payload = Payload(int(case, 36), _KIND_BY_CODE[kind_code], int(revision, 36), printed)
    if revision_of is None:
        return Decoded(payload, None, "二维码有效")
    current = revision_of(payload.case_id)
    if current is None:
        return Decoded(
            payload,
            Failure.UNKNOWN_CASE,
            f"二维码有效，但本数据库中没有编号为 {payload.case_id} 的办件（表格打印于 {printed:%Y-%m-%d}）",
        )
    if payload.revision != current:
        return Decoded(
            payload,
            Failure.STALE,
            f"流程信息不匹配：表格打印于 {printed:%Y-%m-%d}（流程版本 {payload.revision}），"
            f"办件现在的流程版本是 {current}，请重新生成表格后再签字盖章",
        )
    return Decoded(payload, None, "二维码有效")
