"""The QR payload: round trips, every single-character alteration refused, newer versions named."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.payload import (
    EPOCH,
    MAX_CASE_ID,
    MAX_DAY,
    MAX_REVISION,
    VERSION,
    Failure,
    FormKind,
    Payload,
    decode,
    encode,
)

QR_ALPHANUMERIC = string.digits + string.ascii_uppercase + " $%*+-./:"

secrets_ = st.binary(min_size=16, max_size=32)
payloads = st.builds(
    Payload,
    case_id=st.integers(1, MAX_CASE_ID),
    kind=st.sampled_from(list(FormKind)),
    revision=st.integers(0, MAX_REVISION),
    printed_on=st.dates(EPOCH, MAX_DAY),
)
# what a real store prints: case numbers and revisions of a unit, days of this century
usual_payloads = st.builds(
    Payload,
    case_id=st.integers(1, 99_999),
    kind=st.sampled_from(list(FormKind)),
    revision=st.integers(1, 99),
    printed_on=st.dates(EPOCH, date(2100, 12, 31)),
)


@given(secrets_, payloads)
def test_round_trip(secret: bytes, payload: Payload) -> None:
    text = encode(secret, payload)
    decoded = decode(secret, text)
    assert decoded.ok and decoded.failure is None
    assert decoded.payload == payload


@given(secrets_, usual_payloads)
def test_code_is_qr_alphanumeric_and_fits_version_3_at_level_h(secret: bytes, payload: Payload) -> None:
    text = encode(secret, payload)
    assert set(text) <= set(QR_ALPHANUMERIC)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H)
    code.add_data(text)
    code.make(fit=True)
    assert code.version <= 3


def test_no_personal_data_in_the_code() -> None:
    text = encode(b"k" * 32, Payload(12, FormKind.OPINION, 2, date(2025, 10, 1)))
    assert text.startswith("ZW1.O")
    assert len(text) <= 35


@settings(max_examples=60)
@given(secrets_, payloads, st.data())
def test_every_single_character_alteration_is_refused(secret: bytes, payload: Payload, data: st.DataObject) -> None:
    text = encode(secret, payload)
    alphabet = QR_ALPHANUMERIC + string.ascii_lowercase + "\n\t é二"
    for i in range(len(text)):
        replacement = data.draw(st.sampled_from([c for c in alphabet if c != text[i]]), label=f"char {i}")
        for altered in (text[:i] + replacement + text[i + 1 :], text[:i] + text[i + 1 :],
                        text[:i] + replacement + text[i:]):  # fmt: skip
            decoded = decode(secret, altered)
            assert not decoded.ok, (text, altered)
            assert decoded.payload is None
            assert decoded.message
    for extra in data.draw(st.sampled_from(list(alphabet)), label="appended"), " ":
        assert not decode(secret, text + extra).ok


@given(secrets_, secrets_, payloads)
def test_another_stores_code_is_refused(a: bytes, b: bytes, payload: Payload) -> None:
    if a == b:
        return
    decoded = decode(b, encode(a, payload))
    assert decoded.failure is Failure.TAMPERED
    assert "校验失败" in decoded.message


@given(st.sampled_from("23456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"), st.text(QR_ALPHANUMERIC, max_size=40))
def test_newer_version_is_refused_with_a_clear_message(version: str, rest: str) -> None:
    decoded = decode(b"secret", f"ZW{version}.{rest}")
    assert decoded.failure is Failure.NEWER
    assert not decoded.ok
    assert f"格式版本 {int(version, 36)}" in decoded.message
    assert "升级" in decoded.message
    assert str(VERSION) in decoded.message


@given(st.text(max_size=60).filter(lambda t: not t.startswith("ZW")))
def test_foreign_text_is_not_ours(text: str) -> None:
    decoded = decode(b"secret", text)
    assert decoded.failure is Failure.FOREIGN
    assert "不是职称网审助手" in decoded.message


@pytest.mark.parametrize(
    "text", ["https://weixin.qq.com/r/abc", "ZW", "ZW1", "ZW1.", "ZW1.O1.1.1", "ZW0.O1.1.1.AAAAAAAAAAAAA", ""]
)
def test_foreign_and_malformed_examples(text: str) -> None:
    decoded = decode(b"secret", text)
    assert decoded.failure in (Failure.FOREIGN, Failure.MALFORMED)
    assert decoded.payload is None


def test_stale_and_unknown_case_are_told_apart_with_the_printing_day() -> None:
    secret = b"s" * 32
    printed = date(2025, 10, 8)
    text = encode(secret, Payload(7, FormKind.APPRAISAL, 1, printed))
    stale = decode(secret, text, revision_of=lambda case_id: 2)
    assert stale.failure is Failure.STALE and not stale.ok
    assert stale.payload is not None and stale.payload.revision == 1
    assert "流程信息不匹配" in stale.message and "2025-10-08" in stale.message
    unknown = decode(secret, text, revision_of=lambda case_id: None)
    assert unknown.failure is Failure.UNKNOWN_CASE
    assert "7" in unknown.message
    assert decode(secret, text, revision_of=lambda case_id: 1).ok


@pytest.mark.parametrize(
    "payload",
    [
        Payload(0, FormKind.OPINION, 1, date(2025, 1, 1)),
        Payload(1, FormKind.OPINION, -1, date(2025, 1, 1)),
        Payload(1, FormKind.OPINION, MAX_REVISION + 1, date(2025, 1, 1)),
        Payload(MAX_CASE_ID + 1, FormKind.OPINION, 1, date(2025, 1, 1)),
        Payload(1, FormKind.OPINION, 1, EPOCH - timedelta(days=1)),
    ],
)
def test_values_the_format_cannot_carry_are_refused_when_encoding(payload: Payload) -> None:
    with pytest.raises(ValueError):
        encode(b"secret", payload)
