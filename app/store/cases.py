"""SQL for the cases (办件): add one, bring many in at once (the import), read, search and update them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from app.core.errors import NotFoundError, UsageError
from app.core.models import Case
from app.core.review import Module, Status
from app.core.steps import Next, Step
from app.store.connection import Connection, now_text, rowid
from app.store.migrations import utils_db


class Cases(Connection):
    def add_case(
        self,
        plan_id: int,
        name: str,
        id_number: str,
        series: str,
        specialty: str,
        position: str,
        unit_name: str,
        filed_on: date,
        business: str = "职称评审(通用)",
        status: Status = Status.PENDING,
        modules: dict[str, Any] | None = None,
    ) -> int:
        row = case_row(plan_id, name, id_number, series, specialty, position, unit_name, filed_on, business, status,
                       modules, now_text())  # fmt: skip
        with self.transaction() as c:
            try:
                cur = c.execute(f"INSERT INTO cases({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})", row)
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" in str(exc):
                    raise UsageError(f"该评审计划中已有证件号码相同的办件（{name}）") from None
                if "FOREIGN KEY" in str(exc):
                    raise NotFoundError(f"没有编号为 {plan_id} 的评审计划") from None
                raise
            case_id = rowid(cur)
            c.execute(
                "INSERT INTO revisions(case_id, revision, at, reason) VALUES (?, 1, ?, '建档')", (case_id, now_text())
            )
            return case_id

    def insert_cases(self, rows: Iterable[dict[str, Any]], now: datetime | None = None) -> list[int]:
        """Add imported cases in one transaction, skipping any whose (plan, ID number) is already stored
        (or came earlier in ``rows``); returns the new cases' ids.

        Each dict holds :meth:`add_case`'s arguments. The cases and their 建档 events are written in
        bulk by sqlite-utils, one statement per hundred rows, instead of a read and two writes per row.
        """
        at = (now or datetime.now()).isoformat(timespec="seconds")
        with self.transaction() as c:
            seen = {(r[0], r[1]) for r in c.execute("SELECT plan_id, id_number FROM cases")}
            next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
            records: list[dict[str, Any]] = []
            for row in rows:
                key = (row["plan_id"], row["id_number"])
                if key in seen:
                    continue
                seen.add(key)
                records.append({"id": next_id + len(records), **case_row(**row, now=at)})
            if not records:
                return []
            db = utils_db(c)
            db.table("cases").insert_all(records)
            db.table("revisions").insert_all(
                {"case_id": r["id"], "revision": 1, "at": at, "reason": "建档"} for r in records
            )
        return [r["id"] for r in records]

    def case(self, case_id: int) -> Case:
        rows = self.query("SELECT * FROM cases WHERE id=?", (case_id,))
        if not rows:
            raise NotFoundError(f"没有编号为 {case_id} 的办件", "请确认办件编号", next=Next(Step.LIST_CASES))
        return _case(rows[0])

    def cases(self, status: Status | None = None, search: str | None = None, with_modules: bool = True) -> list[Case]:
        """Cases in number order; ``with_modules=False`` leaves the applicant's data out
        (``modules`` is then empty), which is what a list needs and ten times faster."""
        columns = "*" if with_modules else ", ".join(c for c in _CASE_COLUMNS if c != "modules")
        sql = f"SELECT {columns} FROM cases"
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(status.value)
        if search:
            where.append("(name LIKE ? OR id_number LIKE ? OR specialty LIKE ? OR series LIKE ?)")
            # a number copied from a list keeps its mask: each * stands for one hidden digit
            like = f"%{search.strip().replace('*', '_')}%"
            params += [like, like.upper(), like, like]
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_case(r) for r in self.query(sql + " ORDER BY id", tuple(params))]

    def case_keys(self) -> dict[tuple[int, str], tuple[int, str]]:
        """(plan id, ID number) → (case id, name) for every stored case."""
        rows = self.query("SELECT id, plan_id, id_number, name FROM cases")
        return {(r["plan_id"], r["id_number"]): (r["id"], r["name"]) for r in rows}

    def update_case(self, case_id: int, **fields: Any) -> None:
        """Write changed columns of a case; JSON columns are given as Python values."""
        allowed = {"plan_id", "business", "unit_name", "name", "id_number", "series", "specialty", "position",
                   "status", "revision", "modules", "returned"}  # fmt: skip
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"not case columns: {bad}")
        values = {k: (json.dumps(_jsonable(v), ensure_ascii=False) if k in ("modules", "returned") else
                      (v.value if hasattr(v, "value") else v)) for k, v in fields.items()}  # fmt: skip
        values["updated_at"] = now_text()
        sets = ", ".join(f"{k}=:{k}" for k in values)
        with self.transaction() as c:
            cur = c.execute(f"UPDATE cases SET {sets} WHERE id=:_id", {**values, "_id": case_id})
            if cur.rowcount != 1:
                raise NotFoundError(f"没有编号为 {case_id} 的办件")


def case_row(
    plan_id: int, name: str, id_number: str, series: str, specialty: str, position: str, unit_name: str,
    filed_on: date, business: str = "职称评审(通用)", status: Status = Status.PENDING,
    modules: dict[str, Any] | None = None, now: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A new case's columns as stored (revision 1, nothing returned), without its id."""
    return {
        "plan_id": plan_id, "business": business, "unit_name": unit_name, "name": name, "id_number": id_number,
        "series": series, "specialty": specialty, "position": position, "filed_on": filed_on.isoformat(),
        "status": status.value, "revision": 1, "modules": json.dumps(modules or {}, ensure_ascii=False),
        "returned": "{}", "updated_at": now or now_text(),
    }  # fmt: skip


_CASE_COLUMNS = ("id", "plan_id", "business", "unit_name", "name", "id_number", "series", "specialty", "position",
                 "filed_on", "status", "revision", "modules", "returned", "updated_at")  # fmt: skip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {(k.value if hasattr(k, "value") else k): _jsonable(v) for k, v in value.items()}
    return value


def _case(r: dict[str, Any]) -> Case:
    return Case(
        id=r["id"], plan_id=r["plan_id"], business=r["business"], unit_name=r["unit_name"], name=r["name"],
        id_number=r["id_number"], series=r["series"], specialty=r["specialty"], position=r["position"],
        filed_on=date.fromisoformat(r["filed_on"]), status=Status(r["status"]), revision=r["revision"],
        modules=json.loads(r["modules"]) if "modules" in r else {}, returned={Module(k): v for k, v in json.loads(r["returned"]).items()},
        updated_at=datetime.fromisoformat(r["updated_at"]),
    )  # fmt: skip
