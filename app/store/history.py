"""SQL for a case's history: its reviews (审核记录), its revisions (流程版本) and the forms printed for it."""

from __future__ import annotations

import json
from datetime import date, datetime

from app.core.models import ReviewRecord, RevisionEvent
from app.core.review import Module, ReviewResult
from app.store.connection import Connection, now_text, rowid


class History(Connection):
    def add_review(
        self, case_id: int, reviewer: str, result: ReviewResult, opinion: str, returns: dict[Module, str],
        revision: int, at: datetime | None = None,
    ) -> int:  # fmt: skip
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO reviews(case_id, at, reviewer, result, opinion, returns, revision)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (case_id, (at or datetime.now()).isoformat(timespec="seconds"), reviewer, result.value, opinion,
                 json.dumps({m.value: r for m, r in returns.items()}, ensure_ascii=False), revision),
            )  # fmt: skip
            return rowid(cur)

    def reviews(self, case_id: int) -> list[ReviewRecord]:
        rows = self.query("SELECT * FROM reviews WHERE case_id=? ORDER BY id", (case_id,))
        return [
            ReviewRecord(r["id"], r["case_id"], datetime.fromisoformat(r["at"]), r["reviewer"],
                         ReviewResult(r["result"]), r["opinion"],
                         {Module(k): v for k, v in json.loads(r["returns"]).items()}, r["revision"])
            for r in rows
        ]  # fmt: skip

    def add_revision(self, case_id: int, revision: int, reason: str, at: datetime | None = None) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO revisions(case_id, revision, at, reason) VALUES (?, ?, ?, ?)",
                (case_id, revision, (at or datetime.now()).isoformat(timespec="seconds"), reason),
            )

    def revisions(self, case_id: int) -> list[RevisionEvent]:
        rows = self.query("SELECT * FROM revisions WHERE case_id=? ORDER BY revision", (case_id,))
        return [RevisionEvent(r["case_id"], r["revision"], datetime.fromisoformat(r["at"]), r["reason"]) for r in rows]

    def set_filed_at(self, case_id: int, at: datetime) -> None:
        """Date a case's 建档 event (revision 1) to when it was filed: the demo's cases are made today,
        their history is set in the past."""
        with self.transaction() as c:
            c.execute(
                "UPDATE revisions SET at = ? WHERE case_id = ? AND revision = 1",
                (at.isoformat(timespec="seconds"), case_id),
            )

    def log_printed(self, case_id: int, form: str, revision: int, printed_on: date) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO printed_forms(case_id, form, revision, printed_on, at) VALUES (?, ?, ?, ?, ?)",
                (case_id, form, revision, printed_on.isoformat(), now_text()),
            )
