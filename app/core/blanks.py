"""The portal's own blank forms (系统下载的空白表): what a page says, and whose it is.

The portal's QR code carries its process information in a format only the portal
knows: its text is opaque here, compared and never parsed. What zcws learns about a
downloaded page comes from its title words, its text layer and the file's name.
Nothing here guesses: :func:`match_case` and :func:`kind_of` say ``None`` unless certain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.core.ids import mask_id
from app.core.models import Slot

#: The title words of each form, as the portal's PDFs print them.
TITLE_WORDS: dict[Slot, tuple[str, ...]] = {
    Slot.OPINION: ("单位审核意见表", "基层单位推荐意见"),
    Slot.APPRAISAL: ("年度及任职期满考核结果", "考核表"),
}
#: The title is at the top: this many characters of the text layer are "the title".
TITLE_CHARS = 80
#: A full 居民身份证号码 (or the old 15-digit one) in any text; a masked one has stars.
_ID_RUN = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_ID_LIKE = re.compile(r"\d[\dXx*]{9,}")
#: How much of a code's text a message shows.
SHOWN_CHARS = 40


@dataclass(frozen=True)
class Blank:
    """One downloaded blank brought in for a case's slot."""

    id: int
    case_id: int
    slot: Slot
    code: str
    sha256: str
    source_name: str
    source_page: int
    came_at: datetime
    number: int  # its number in its slot: 1 for the first brought in, 2 after one re-issue, …
    current: bool


def shown_code(text: str) -> str:
    """A code's text as a message may show it: ID-number-like runs masked, shortened."""
    masked = _ID_LIKE.sub(lambda m: mask_id(m.group(0)), text)
    return masked[:SHOWN_CHARS] + ("…" if len(masked) > SHOWN_CHARS else "")


def kind_of(text: str) -> Slot | None:
    """The form a page's text (or a file's name) is, from its title words; None unless one kind is named.

    When both kinds' words occur (an opinion form may mention the 考核表), the title decides:
    the kind named alone within the first :data:`TITLE_CHARS` characters.
    """
    compact = re.sub(r"\s+", "", text)

    def named(part: str) -> set[Slot]:
        return {slot for slot, words in TITLE_WORDS.items() if any(w in part for w in words)}

    everywhere = named(compact)
    if len(everywhere) <= 1:
        return next(iter(everywhere), None)
    title = named(compact[:TITLE_CHARS])
    return next(iter(title)) if len(title) == 1 else None


@dataclass(frozen=True)
class Person:
    """A case as a downloaded page can name it."""

    case_id: int
    name: str
    id_number: str
    open: bool = True  # not closed (资格不符, 终止, 已送审): preferred when one ID number has cases in two plans


@dataclass(frozen=True)
class Match:
    """Whose page this is: ``case_id`` when certain, else ``None`` with ``guess`` (or None) and why."""

    case_id: int | None
    guess: int | None = None
    reason: str = ""


def id_numbers(text: str) -> set[str]:
    """Full ID numbers in a text, upper-cased."""
    return {m.group(1).upper() for m in _ID_RUN.finditer(text)}


def match_case(people: Iterable[Person], texts: Iterable[str]) -> Match:
    """The case the texts (page text, code text, file name) name with certainty.

    Certain is: a full ID number of exactly one (open) case, or a name that only one case
    has and that is the only case's name in the texts, with nothing pointing elsewhere.
    """
    people = list(people)
    texts = [t for t in texts if t]
    joined = "\n".join(texts)
    numbers = id_numbers(joined)
    by_number = [p for p in people if p.id_number.upper() in numbers]
    if len({p.id_number for p in by_number}) > 1:
        return Match(None, None, f"页面上有几个人的证件号码（{'、'.join(sorted({p.name for p in by_number}))}）")
    if by_number:
        chosen = [p for p in by_number if p.open] or by_number
        if len(chosen) == 1:
            named = _names_in(people, joined)
            others = {p.name for p in named} - {chosen[0].name}
            if others:
                return Match(
                    None,
                    chosen[0].case_id,
                    f"证件号码是{chosen[0].name}的，页面上却还有{'、'.join(sorted(others))}的姓名",
                )
            return Match(chosen[0].case_id)
        return Match(
            None, chosen[0].case_id, f"{chosen[0].name}有 {len(chosen)} 个办件（不同的评审计划），无法确定是哪一个"
        )
    named = _names_in(people, joined)
    names = {p.name for p in named}
    if len(names) > 1:
        return Match(None, None, f"页面上有几个申报人的姓名（{'、'.join(sorted(names))}）")
    if not names:
        return Match(None, None, "页面上没有找到哪个办件的证件号码或姓名")
    holders = [p for p in people if p.name in names]
    chosen = [p for p in holders if p.open] or holders
    if len(chosen) == 1:
        return Match(chosen[0].case_id)
    return Match(
        None, chosen[0].case_id, f"有 {len(chosen)} 个办件的申报人都叫{chosen[0].name}，页面上没有完整的证件号码"
    )


def _names_in(people: list[Person], text: str) -> list[Person]:
    """The people whose name is in the text, a name inside a longer found name not counted (张三 in 张三丰)."""
    found = {p.name for p in people if len(p.name) >= 2 and p.name in text}
    kept = {n for n in found if not any(n != m and n in m for m in found)}
    return [p for p in people if p.name in kept]
