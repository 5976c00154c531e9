"""SQL for the review plans (评审计划): add one, read them, find one by number or title."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from app.core.errors import NotFoundError, UsageError
from app.core.models import Plan
from app.store.connection import Connection, rowid


class Plans(Connection):
    def add_plan(
        self, title: str, series: str, specialties: list[str], deadline: date, window_start: date, window_end: date
    ) -> int:
        if window_end < window_start:
            raise UsageError("评委会收件期的结束日期早于开始日期")
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO plans(title, series, specialties, deadline, window_start, window_end)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (title, series, json.dumps(specialties, ensure_ascii=False), deadline.isoformat(),
                 window_start.isoformat(), window_end.isoformat()),
            )  # fmt: skip
            return rowid(cur)

    def plans(self) -> list[Plan]:
        return [_plan(r) for r in self.query("SELECT * FROM plans ORDER BY id")]

    def plan(self, plan_id: int) -> Plan:
        rows = self.query("SELECT * FROM plans WHERE id=?", (plan_id,))
        if not rows:
            raise NotFoundError(f"没有编号为 {plan_id} 的评审计划")
        return _plan(rows[0])

    def find_plan(self, text: str) -> Plan:
        """A plan by its number or (part of) its title."""
        if text.isdigit():
            return self.plan(int(text))
        found = [p for p in self.plans() if text in p.title]
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFoundError(f"没有标题包含“{text}”的评审计划")
        raise UsageError(f"有 {len(found)} 个评审计划的标题包含“{text}”，请写得更具体或用编号")


def _plan(r: dict[str, Any]) -> Plan:
    return Plan(
        r["id"], r["title"], r["series"], tuple(json.loads(r["specialties"])), date.fromisoformat(r["deadline"]),
        date.fromisoformat(r["window_start"]), date.fromisoformat(r["window_end"]),
    )  # fmt: skip
