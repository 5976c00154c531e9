"""File names that Windows accepts, whatever a name holds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.forms.names import MAX_NAME_UNITS, safe_filename

RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0012_王伟_单位审核意见表.pdf", "0012_王伟_单位审核意见表.pdf"),
        ('a<b>c:d"e/f\\g|h?i*j.pdf', "a_b_c_d_e_f_g_h_i_j.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("nul", "_nul"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("LPT9 .pdf", "_LPT9.pdf"),
        ("name. . .", "name"),
        ("  spaced  ", "spaced"),
        ("...", "_"),
        ("", "_"),
        ("tab\there\x00.pdf", "tab_here_.pdf"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert safe_filename(text) == expected


def test_long_names_are_cut_before_the_extension() -> None:
    name = safe_filename("黄" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name) == MAX_NAME_UNITS


@given(st.text(max_size=400))
def test_any_text_gives_a_name_windows_accepts(text: str) -> None:
    name = safe_filename(text)
    assert name
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', name)
    assert not name.endswith((".", " "))
    assert not RESERVED.match(name.split(".")[0].rstrip(" "))
    assert len(name.encode("utf-16-le")) // 2 <= MAX_NAME_UNITS
