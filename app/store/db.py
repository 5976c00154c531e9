"""The only code that talks SQL: one SQLite file, its migrations and repositories.

Modelled on qutebrowser's sql.py: ``PRAGMA user_version`` with stepwise
migrations, refusal of a newer schema, WAL, ``foreign_keys=ON``, a
:meth:`Store.transaction` context manager, and expected errors (disk full,
locked, corrupt) turned into :class:`StoreError` messages.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core import settings as settings_decl
from app.core.errors import NotFoundError, StoreError, UsageError, os_cause
from app.core.models import Attachment, Case, Plan, ReviewRecord, RevisionEvent, Slot
from app.core.review import Module, ReviewResult, Status
from app.core.steps import Next, Step
from app.core.urgency import Thresholds
from app.core.verdicts import Verdict
from app.store.files import write_atomic
from app.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)

DB_NAME = "zcws.sqlite3"
ATTACHMENTS_DIR = "attachments"


def default_data_dir() -> Path:
    """The officer's application-data folder (``%APPDATA%\\zcws`` on Windows)."""
    override = os.environ.get("ZCWS_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("zcws", appauthor=False, roaming=True))


def default_db_path(demo: bool = False) -> Path:
    base = default_data_dir()
    return (base / "demo" / DB_NAME) if demo else base / DB_NAME


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


#: What an expected SQLite error is about, told by words of its message: the environment, not our bug.
ERROR_KINDS = (
    ("full", ("full",)),
    ("busy", ("locked", "busy")),
    ("corrupt", ("malformed", "not a database", "corrupt")),
    ("readonly", ("readonly", "read-only", "unable to open")),
)


def error_kind(exc: sqlite3.Error) -> str | None:
    """``full``, ``busy``, ``corrupt`` or ``readonly`` for an expected error, None for a bug: the one place
    that classifies SQLite's errors."""
    text = str(exc).lower()
    for kind, words in ERROR_KINDS:
        if any(w in text for w in words):
            return kind
    return None


def _translate(exc: sqlite3.Error) -> StoreError:
    kind = error_kind(exc)
    if kind == "full":
        return StoreError("磁盘已满，数据未写入", "请清理磁盘空间后重试")
    if kind == "busy":
        return StoreError("数据库正被另一个程序使用", "请关闭其他正在使用该数据库的职称网审助手后重试")
    if kind == "corrupt":
        return StoreError("数据库文件已损坏或不是职称网审助手的数据库", "请从备份恢复", next=Next(Step.RESTORE))
    if kind == "readonly":
        return StoreError("无法写入数据库文件", "请检查文件夹的写入权限")
    log.error("unexpected database error: %s", exc)
    return StoreError("数据库出错，操作未完成", "详情已写入日志；若反复出现，请从备份恢复", next=Next(Step.RESTORE))


class Store:
    """One SQLite store with its attachments folder beside it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.attachments_dir = self.path.parent / ATTACHMENTS_DIR
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("cannot create %s: %s", self.path.parent, exc)
            raise StoreError(f"无法创建数据文件夹 {self.path.parent}：{os_cause(exc)}") from None
        self._depth = 0
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        try:
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            self.conn.close()
            raise _translate(exc) from None
        except BaseException:
            self.conn.close()
            raise

    # -- connection ------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"数据库来自更新版本的职称网审助手（结构版本 {version}，本程序为 {SCHEMA_VERSION}）",
                "请安装新版本后再打开",
            )
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy2(self.path, backup)
            log.info("copied store to %s before migrating from %d", backup, version)
        for target in range(version, SCHEMA_VERSION):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                run_migration(self.conn, MIGRATIONS[target])
                self.conn.execute(f"PRAGMA user_version={target + 1}")
                if target == 0:
                    import secrets  # here: its hmac and OpenSSL cost a new store only, not every launch

                    self.conn.execute("INSERT INTO meta(key, value) VALUES ('secret', ?)", (secrets.token_bytes(32),))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside happen together or not at all; nests."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        self._depth = 1
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise _translate(exc) from None
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.conn.execute("ROLLBACK")
                raise _translate(exc) from None

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.conn.execute(sql, params)
            columns = [d[0] for d in cursor.description or ()]
            return [dict(zip(columns, row, strict=True)) for row in cursor]
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def integrity_ok(self) -> bool:
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    # -- meta and settings -------------------------------------------------

    @property
    def secret(self) -> bytes:
        """The key that authenticates our QR codes; it travels with backups."""
        return bytes(self.conn.execute("SELECT value FROM meta WHERE key='secret'").fetchone()[0])

    def get_setting(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return settings_decl.coerce(key, None if row is None else json.loads(row[0]))

    def set_setting(self, key: str, value: Any) -> None:
        value = settings_decl.coerce(key, value)
        with self.transaction() as c:
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    def thresholds(self) -> Thresholds:
        return Thresholds(self.get_setting("urgency.urgent_days"), self.get_setting("urgency.critical_days"))

    # -- units -------------------------------------------------------------

    def add_unit(self, **fields: Any) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO units(name, credit_code, kind, region, manager_name, manager_id_number,"
                " manager_phone, parent_id) VALUES (:name, :credit_code, :kind, :region, :manager_name,"
                " :manager_id_number, :manager_phone, :parent_id)",
                {"parent_id": None, **fields},
            )
            return rowid(cur)

    def units(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM units ORDER BY id")

    # -- plans -------------------------------------------------------------

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

    # -- cases -------------------------------------------------------------

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
                       modules, _now())  # fmt: skip
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
                "INSERT INTO revisions(case_id, revision, at, reason) VALUES (?, 1, ?, '建档')", (case_id, _now())
            )
            return case_id

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

    def update_case(self, case_id: int, **fields: Any) -> None:
        """Write changed columns of a case; JSON columns are given as Python values."""
        allowed = {"plan_id", "business", "unit_name", "name", "id_number", "series", "specialty", "position",
                   "status", "revision", "modules", "returned"}  # fmt: skip
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"not case columns: {bad}")
        values = {k: (json.dumps(_jsonable(v), ensure_ascii=False) if k in ("modules", "returned") else
                      (v.value if hasattr(v, "value") else v)) for k, v in fields.items()}  # fmt: skip
        values["updated_at"] = _now()
        sets = ", ".join(f"{k}=:{k}" for k in values)
        with self.transaction() as c:
            cur = c.execute(f"UPDATE cases SET {sets} WHERE id=:_id", {**values, "_id": case_id})
            if cur.rowcount != 1:
                raise NotFoundError(f"没有编号为 {case_id} 的办件")

    # -- history -------------------------------------------------------------

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

    def log_printed(self, case_id: int, form: str, revision: int, printed_on: date) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO printed_forms(case_id, form, revision, printed_on, at) VALUES (?, ?, ?, ?, ?)",
                (case_id, form, revision, printed_on.isoformat(), _now()),
            )

    # -- common opinions -----------------------------------------------------

    def opinions(self) -> list[str]:
        return [r["text"] for r in self.query("SELECT text FROM opinions ORDER BY id")]

    def add_opinion(self, text: str) -> bool:
        """Insert ``text``; False when it is there already."""
        with self.transaction() as c:
            return c.execute("INSERT OR IGNORE INTO opinions(text) VALUES (?)", (text,)).rowcount > 0

    def remove_opinion(self, text: str) -> bool:
        """Delete ``text``; False when it was not there."""
        with self.transaction() as c:
            return c.execute("DELETE FROM opinions WHERE text=?", (text,)).rowcount > 0

    # -- attachments -----------------------------------------------------------

    def blob_path(self, sha256: str, ext: str) -> Path:
        return self.attachments_dir / sha256[:2] / f"{sha256}.{ext}"

    def put_blob(self, data: bytes, ext: str) -> str:
        """Store bytes by content hash, atomically; returns the hash."""
        import hashlib

        digest = hashlib.sha256(data).hexdigest()
        target = self.blob_path(digest, ext)
        if target.exists() and target.stat().st_size == len(data):
            return digest
        try:
            write_atomic(target, data)
        except OSError as exc:
            if exc.errno == 28:
                raise StoreError("磁盘已满，附件未保存", "请清理磁盘空间后重试") from None
            log.warning("cannot store an attachment: %s", exc)
            raise StoreError(f"无法保存附件：{os_cause(exc)}") from None
        return digest

    def add_attachment(
        self, case_id: int, slot: Slot, data: bytes, ext: str, original_name: str, verdict: Verdict,
        message: str = "", revision: int | None = None, source_page: int | None = None, blank_id: int | None = None,
        stamped: bool | None = None, stamp_note: str = "",
    ) -> int:  # fmt: skip
        """Store a file in a case's slot; an earlier file of that slot is kept but no longer active.

        ``stamped``/``stamp_note``: the 盖章页 check's answer for the page (see :class:`Attachment`)."""
        digest = self.put_blob(data, ext)
        with self.transaction() as c:
            c.execute("UPDATE attachments SET active=0 WHERE case_id=? AND slot=?", (case_id, slot.value))
            try:
                cur = c.execute(
                    "INSERT INTO attachments(case_id, slot, sha256, ext, original_name, verdict, message, revision,"
                    " stored_at, active, source_page, blank_id, stamped, stamp_note)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                    (case_id, slot.value, digest, ext, original_name, Verdict(verdict).value, message, revision, _now(),
                     source_page, blank_id, stamped, stamp_note),
                )  # fmt: skip
            except sqlite3.IntegrityError:
                raise NotFoundError(f"没有编号为 {case_id} 的办件") from None
            return rowid(cur)

    def attachments(self, case_id: int, active_only: bool = True) -> list[Attachment]:
        sql = "SELECT * FROM attachments WHERE case_id=?" + (" AND active=1" if active_only else "") + " ORDER BY id"
        return [
            Attachment(r["id"], r["case_id"], Slot(r["slot"]), r["sha256"], r["ext"], r["original_name"],
                       Verdict(r["verdict"]), r["message"], r["revision"], datetime.fromisoformat(r["stored_at"]),
                       r["blank_id"], None if r["stamped"] is None else bool(r["stamped"]), r["stamp_note"])
            for r in self.query(sql, (case_id,))
        ]  # fmt: skip


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
        "returned": "{}", "updated_at": now or _now(),
    }  # fmt: skip


_CASE_COLUMNS = ("id", "plan_id", "business", "unit_name", "name", "id_number", "series", "specialty", "position",
                 "filed_on", "status", "revision", "modules", "returned", "updated_at")  # fmt: skip


def rowid(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made."""
    assert cursor.lastrowid is not None, "not after an INSERT"
    return cursor.lastrowid


def run_migration(conn: sqlite3.Connection, step: Migration) -> None:
    """One step of :data:`MIGRATIONS`, in the caller's transaction."""
    if isinstance(step, str):
        for statement in _statements(step):
            conn.execute(statement)
    else:
        step(utils_db(conn))


def utils_db(conn: sqlite3.Connection) -> Database:
    """sqlite-utils over the store's own connection, for schema work and bulk writes.

    Imported here, where those run, and never on the launch path of an up-to-date store; no
    plugins and no connection settings of its own. Inside a transaction it uses savepoints, so
    the caller's transaction stays whole.
    """
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf = [], ""
    for line in script.splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {(k.value if hasattr(k, "value") else k): _jsonable(v) for k, v in value.items()}
    return value


def _plan(r: dict[str, Any]) -> Plan:
    return Plan(
        r["id"], r["title"], r["series"], tuple(json.loads(r["specialties"])), date.fromisoformat(r["deadline"]),
        date.fromisoformat(r["window_start"]), date.fromisoformat(r["window_end"]),
    )  # fmt: skip


def _case(r: dict[str, Any]) -> Case:
    return Case(
        id=r["id"], plan_id=r["plan_id"], business=r["business"], unit_name=r["unit_name"], name=r["name"],
        id_number=r["id_number"], series=r["series"], specialty=r["specialty"], position=r["position"],
        filed_on=date.fromisoformat(r["filed_on"]), status=Status(r["status"]), revision=r["revision"],
        modules=json.loads(r["modules"]) if "modules" in r else {}, returned={Module(k): v for k, v in json.loads(r["returned"]).items()},
        updated_at=datetime.fromisoformat(r["updated_at"]),
    )  # fmt: skip
