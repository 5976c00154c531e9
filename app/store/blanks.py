"""SQL for the portal's blank forms (系统下载的空白表): per case and slot, in the order they came.

The page itself is kept as a one-page PDF among the attachments' blobs (by content
hash, extension ``pdf``), so that it prints again as it came and its layout is known.
The newest blank of a slot is its current one; the earlier ones stay, superseded.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.core.errors import NotFoundError, StoreError
from app.core.models import Slot
from app.store.attachments import Attachments
from app.store.connection import rowid

if TYPE_CHECKING:  # the blanks' rules (and the ID checks) load with the first blank read, not with the store
    from app.core.blanks import Blank

PDF_EXT = "pdf"
_SELECT = (
    "SELECT b.*, b.number = (SELECT max(number) FROM blanks m WHERE m.case_id = b.case_id AND m.slot = b.slot)"
    " AS current FROM blanks b"
)


def _blank(r: dict[str, Any]) -> Blank:
    from app.core.blanks import Blank

    return Blank(
        r["id"], r["case_id"], Slot(r["slot"]), r["code"], r["sha256"], r["source_name"], r["source_page"],
        datetime.fromisoformat(r["came_at"]), r["number"], bool(r["current"]),
    )  # fmt: skip


class Blanks(Attachments):
    def add_blank(
        self, case_id: int, slot: Slot, code: str, pdf: bytes, source_name: str, source_page: int,
        at: datetime | None = None,
    ) -> Blank:  # fmt: skip
        """Keep a downloaded page as the new current blank of the case's slot.

        The caller has made sure the code is bound nowhere yet (:meth:`blank_by_code`); a
        code stored twice is refused by the schema all the same.
        """
        digest = self.put_blob(pdf, PDF_EXT)
        came = (at or datetime.now()).isoformat(timespec="seconds")
        with self.transaction() as c:
            row = c.execute(
                "SELECT coalesce(max(number), 0) FROM blanks WHERE case_id = ? AND slot = ?", (case_id, slot.value)
            ).fetchone()
            try:
                cur = c.execute(
                    "INSERT INTO blanks(case_id, slot, code, sha256, source_name, source_page, came_at, number)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (case_id, slot.value, code, digest, source_name, source_page, came, row[0] + 1),
                )
            except sqlite3.IntegrityError as exc:
                if "FOREIGN KEY" in str(exc):
                    raise NotFoundError(f"没有编号为 {case_id} 的办件") from None
                if "UNIQUE" in str(exc):
                    raise StoreError("这张空白表的二维码已经导入过") from None
                raise
            blank_id = rowid(cur)
        return self.blank(blank_id)

    def blank(self, blank_id: int) -> Blank:
        rows = self.query(f"{_SELECT} WHERE b.id = ?", (blank_id,))
        if not rows:
            raise NotFoundError(f"没有编号为 {blank_id} 的空白表")
        return _blank(rows[0])

    def blank_by_code(self, code: str) -> Blank | None:
        """The blank whose QR code's text is exactly ``code``, current or superseded."""
        rows = self.query(f"{_SELECT} WHERE b.code = ?", (code,))
        return _blank(rows[0]) if rows else None

    def blanks_of(self, case_ids: list[int] | None = None) -> list[Blank]:
        """Every blank (of ``case_ids`` when given), by case, slot and the order they came."""
        sql = _SELECT
        params: tuple[Any, ...] = ()
        if case_ids is not None:
            sql += f" WHERE b.case_id IN ({', '.join('?' * len(case_ids))})"
            params = tuple(case_ids)
        return [_blank(r) for r in self.query(sql + " ORDER BY b.case_id, b.slot, b.number", params)]

    def current_blank(self, case_id: int, slot: Slot) -> Blank | None:
        """The newest blank of the case's slot, or None when none was brought in."""
        rows = self.query(f"{_SELECT} WHERE b.case_id = ? AND b.slot = ? ORDER BY b.number DESC LIMIT 1",
                           (case_id, slot.value))  # fmt: skip
        return _blank(rows[0]) if rows else None

    def current_blanks(self) -> dict[tuple[int, Slot], Blank]:
        """(case id, slot) → its current blank, for every slot that has one."""
        return {(b.case_id, b.slot): b for b in self.blanks_of() if b.current}

    def blank_codes(self) -> frozenset[str]:
        """Every code text brought in: what a scan's code is compared with."""
        return frozenset(r["code"] for r in self.query("SELECT code FROM blanks"))

    def blank_pdf(self, item: Blank) -> bytes:
        """The blank's page as the one-page PDF it was kept as."""
        path = self.blob_path(item.sha256, PDF_EXT)
        try:
            return path.read_bytes()
        except OSError:
            raise StoreError(
                f"空白表的文件不见了（{item.source_name} 第 {item.source_page} 页）",
                "请重新导入这张从系统下载的空白表，或从备份恢复",
            ) from None
