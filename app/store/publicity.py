"""The publicities (公示) a unit held, and the cases each one published.

Objections are kept per case (``publicity_cases.objections``): an objection is
about one applicant, and so is the 推荐单位公示证明 uploaded for them. An empty
text means none were received.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.core.errors import NotFoundError
from app.store.connection import Connection, rowid


@dataclass(frozen=True)
class Publicity:
    id: int
    plan_id: int | None
    start: date
    end: date
    place: str
    contact: str
    created_at: datetime
    case_ids: tuple[int, ...]
    #: case id → the objections received and how they were handled; absent when none.
    objections: dict[int, str]


class Publicities(Connection):
    def add_publicity(
        self, plan_id: int | None, start: date, end: date, place: str, contact: str, case_ids: list[int]
    ) -> int:
        """Record a publicity of ``case_ids``; returns its number."""
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO publicities(plan_id, start, end, place, contact, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (plan_id, start.isoformat(), end.isoformat(), place, contact,
                 datetime.now().isoformat(timespec="seconds")),
            )  # fmt: skip
            publicity_id = rowid(cur)
            try:
                c.executemany(
                    "INSERT INTO publicity_cases(publicity_id, case_id) VALUES (?, ?)",
                    [(publicity_id, case_id) for case_id in dict.fromkeys(case_ids)],
                )
            except sqlite3.IntegrityError:
                raise NotFoundError("所选办件中有的已不存在", "刷新列表后重新选择") from None
            return publicity_id

    def get_publicity(self, publicity_id: int) -> Publicity:
        rows = self.query("SELECT * FROM publicities WHERE id=?", (publicity_id,))
        if not rows:
            raise NotFoundError(f"没有编号为 {publicity_id} 的公示", "用 zcws publicity list 查看公示编号")
        return self._publicities(rows)[0]

    def list_publicities(self) -> list[Publicity]:
        """Every publicity, the latest start first."""
        return self._publicities(self.query("SELECT * FROM publicities ORDER BY start DESC, id DESC"))

    def publicities_of_case(self, case_id: int) -> list[Publicity]:
        """The publicities that published this case, the latest start first."""
        rows = self.query(
            "SELECT p.* FROM publicities p JOIN publicity_cases pc ON pc.publicity_id = p.id"
            " WHERE pc.case_id=? ORDER BY p.start DESC, p.id DESC",
            (case_id,),
        )
        return self._publicities(rows)

    def set_objections(self, publicity_id: int, case_ids: list[int], text: str) -> None:
        """Record the objections (and how they were handled) for these cases of a publicity."""
        with self.transaction() as c:
            for case_id in case_ids:
                cur = c.execute(
                    "UPDATE publicity_cases SET objections=? WHERE publicity_id=? AND case_id=?",
                    (text.strip(), publicity_id, case_id),
                )
                if cur.rowcount != 1:
                    raise NotFoundError(f"办件 {case_id} 不在公示 {publicity_id} 中")

    def _publicities(self, rows: list[dict[str, Any]]) -> list[Publicity]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        members: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        marks = ",".join("?" * len(ids))
        for m in self.query(
            f"SELECT publicity_id, case_id, objections FROM publicity_cases WHERE publicity_id IN ({marks}) ORDER BY rowid",
            tuple(ids),
        ):
            members[m["publicity_id"]].append(m)
        return [
            Publicity(
                id=r["id"],
                plan_id=r["plan_id"],
                start=date.fromisoformat(r["start"]),
                end=date.fromisoformat(r["end"]),
                place=r["place"],
                contact=r["contact"],
                created_at=datetime.fromisoformat(r["created_at"]),
                case_ids=tuple(m["case_id"] for m in members[r["id"]]),
                objections={m["case_id"]: m["objections"] for m in members[r["id"]] if m["objections"]},
            )
            for r in rows
        ]
