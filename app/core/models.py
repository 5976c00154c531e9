"""The domain's plain values: plans, cases, review records, attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app.core.labels import Labelled
from app.core.review import Module, ReviewResult, Status
from app.core.urgency import Thresholds, Urgency, urgency, why_closed

if TYPE_CHECKING:
    from app.core.verdicts import Verdict


class Slot(Labelled):
    """The three attachments 单位送审 needs."""

    PUBLICITY = "publicity", "推荐单位公示证明"
    APPRAISAL = "appraisal", "单位考核表"
    OPINION = "opinion", "单位审核意见表"

    @property
    def upload_name(self) -> str:
        """What the file is called when uploaded (the portal's button text)."""
        return SLOT_UPLOAD_NAMES[self]

    @classmethod
    def noun(cls) -> str:
        return "附件栏"

    @classmethod
    def aliases(cls, member: Slot) -> tuple[str, ...]:
        return (member.upload_name,)


SLOT_UPLOAD_NAMES = {
    Slot.PUBLICITY: "推荐单位公示证明",
    Slot.APPRAISAL: "单位考核表(盖章页)",
    Slot.OPINION: "单位审核意见表(盖章页)",
}


@dataclass(frozen=True)
class Plan:
    id: int
    title: str
    series: str
    specialties: tuple[str, ...]
    deadline: date
    window_start: date
    window_end: date

    def urgency(self, today: date, thresholds: Thresholds | None = None) -> Urgency:
        return urgency(self.window_start, self.window_end, today, thresholds)

    def closed_reason(self, today: date, thresholds: Thresholds | None = None) -> str | None:
        return why_closed(self.urgency(today, thresholds), self.window_start, self.window_end)


@dataclass(frozen=True)
class Case:
    id: int
    plan_id: int
    business: str
    unit_name: str
    name: str
    id_number: str
    series: str
    specialty: str
    position: str
    filed_on: date
    status: Status
    revision: int
    modules: dict[str, Any] = field(default_factory=dict)
    returned: dict[Module, str] = field(default_factory=dict)
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    case_id: int
    at: datetime
    reviewer: str
    result: ReviewResult
    opinion: str
    returns: dict[Module, str]
    revision: int


@dataclass(frozen=True)
class RevisionEvent:
    case_id: int
    revision: int
    at: datetime
    reason: str


@dataclass(frozen=True)
class Attachment:
    id: int
    case_id: int
    slot: Slot
    sha256: str
    ext: str
    original_name: str
    verdict: Verdict
    message: str
    revision: int | None
    stored_at: datetime
    blank_id: int | None = None  # the portal blank whose code the stored page carries
    #: a 盖章页 seen signed and stamped (True), not (False: ``stamp_note`` says what is missing), or cannot tell
    stamped: bool | None = None
    stamp_note: str = ""
