"""File and folder names that Windows accepts whatever an applicant's name holds."""

from __future__ import annotations

import re
import unicodedata

#: Device names Windows reserves in any case and with any extension ("con.jpg" included).
RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{p}{n}" for p in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")]
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: A component stays well under NTFS's 255 UTF-16 units and ext4's 255 bytes.
MAX_UTF16 = 120
MAX_UTF8 = 200


def _units16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _fits(text: str, max_utf16: int, max_utf8: int) -> bool:
    return _units16(text) <= max_utf16 and len(text.encode("utf-8", "surrogatepass")) <= max_utf8


def safe_filename(text: str, max_utf16: int = MAX_UTF16, max_utf8: int = MAX_UTF8) -> str:
    """One path component safe on Windows: forbidden characters become ``_``, reserved names
    get a ``_`` in front, trailing dots and spaces go, and long names are shortened (the
    extension is kept). Rare characters (CJK extensions, 生僻字) are kept as they are.
    """
    s = unicodedata.normalize("NFC", str(text))
    # Control and format characters (a right-to-left override can disguise an extension),
    # lone surrogates and private-use code points have no place in a file name.
    s = "".join("_" if unicodedata.category(ch) in ("Cc", "Cs", "Co") else ch
                for ch in s if unicodedata.category(ch) != "Cf")  # fmt: skip
    s = _FORBIDDEN.sub("_", s).strip().rstrip(". ")
    stem, dot, ext = s.rpartition(".") if "." in s.lstrip(".") else (s, "", "")
    if len(ext) > 16 or not ext.isascii():
        stem, dot, ext = s, "", ""
    while stem and not _fits(stem + dot + ext, max_utf16, max_utf8):
        stem = stem[:-1]
    s = (stem.rstrip(". ") + dot + ext) if stem.rstrip(". ") else ("_" + dot + ext if ext else "_")
    if s.split(".")[0].rstrip(" ").upper() in RESERVED:
        s = "_" + s
    return s
