"""SQL and files for a case's attachments: the files themselves kept by content hash in the attachments
folder (written atomically), and the rows that put them in a case's slots."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from app.core.errors import NotFoundError, StoreError, os_cause
from app.core.models import Attachment, Slot
from app.core.verdicts import Verdict
from app.store.connection import Connection, now_text, rowid
from app.store.files import write_atomic

log = logging.getLogger(__name__)


class Attachments(Connection):
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
                    (case_id, slot.value, digest, ext, original_name, Verdict(verdict).value, message, revision,
                     now_text(), source_page, blank_id, stamped, stamp_note),
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
