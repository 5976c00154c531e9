"""临近审核状态: how close a case is to the end of its committee's window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.labels import Labelled


class Urgency(Labelled):
    NOT_STARTED = "not_started", "未开始"
    NORMAL = "normal", "一般"
    URGENT = "urgent", "加急"
    CRITICAL = "critical", "紧急"
    ENDED = "ended", "已结束"

    @property
    def reviewable(self) -> bool:
        """“未开始”和“已结束”都不能对人员进行审核 (the guide)."""
        return self not in (Urgency.NOT_STARTED, Urgency.ENDED)

    @classmethod
    def noun(cls) -> str:
        return "临近审核状态"


@dataclass(frozen=True)
class Thresholds:
    """Days left (inclusive) at which a case becomes 加急 and 紧急."""

    urgent_days: int = 7
    critical_days: int = 3


def urgency(window_start: date, window_end: date, today: date, thresholds: Thresholds | None = None) -> Urgency:
    """The state of a review window on ``today``.

    The window includes both its first and its last day: on the last day the
    committee still receives material, so the case is 紧急, not 已结束.
    """
    thresholds = thresholds or Thresholds()
    if today < window_start:
        return Urgency.NOT_STARTED
    if today > window_end:
        return Urgency.ENDED
    left = (window_end - today).days
    if left <= thresholds.critical_days:
        return Urgency.CRITICAL
    if left <= thresholds.urgent_days:
        return Urgency.URGENT
    return Urgency.NORMAL


def why_closed(state: Urgency, window_start: date, window_end: date) -> str | None:
    """The Chinese reason a case cannot be reviewed or sent, or None when it can."""
    if state is Urgency.NOT_STARTED:
        return f"评委会收件期尚未开始（{window_start.isoformat()} 起），暂不能审核或送审"
    if state is Urgency.ENDED:
        return f"评委会收件期已于 {window_end.isoformat()} 结束，不能再审核或送审"
    return None
