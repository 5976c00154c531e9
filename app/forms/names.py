"""File names that Windows accepts whatever an applicant's name or a title holds."""

from __future__ import annotations

import re
import unicodedata

# Windows refuses these as a file's stem, with any extension and in any case
# (CON.pdf, nul.txt); Windows 11 also treats COM¹ … LPT³ so.
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[0-9¹²³])$", re.IGNORECASE)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")

MAX_NAME_UNITS = 120
"""Length limit of one name in UTF-16 code units: NTFS allows 255, and the folder
around it must still fit in the 260 characters older Windows programs allow a path."""


def safe_filename(text: str, max_units: int = MAX_NAME_UNITS) -> str:
    """``text`` made into a file name Windows accepts, keeping what it can of it.

    Forbidden characters (``<>:"/\\|?*`` and control characters) become ``_``;
    leading and trailing spaces and trailing dots are dropped; a reserved device name
    (CON, NUL, COM1 …, also as ``con.pdf``) gets a ``_`` in front; a name too long is
    cut before its extension. Never returns an empty name.
    """
    name = unicodedata.normalize("NFC", text)
    name = _FORBIDDEN.sub("_", name).strip(" ")
    name = name.rstrip(". ")
    ext_match = _EXTENSION.search(name)
    ext = ext_match.group(0) if ext_match and ext_match.start() > 0 else ""
    stem = name[: len(name) - len(ext)] if ext else name
    stem = stem.rstrip(". ")
    if not stem:
        stem = "_"
    if _RESERVED.match(stem.split(".")[0].rstrip(" ")):
        stem = "_" + stem
    budget = max_units - _units(ext)
    if _units(stem) > budget:
        cut = ""
        for char in stem:
            if _units(cut + char) > budget:
                break
            cut += char
        stem = cut.rstrip(". ") or "_"
    return stem + ext


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
