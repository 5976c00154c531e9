"""SQL for the store's own values: the QR secret (``meta``) and the officer's settings (``settings``,
declared in :mod:`app.core.settings`)."""

from __future__ import annotations

import json
from typing import Any

from app.core import settings as settings_decl
from app.core.urgency import Thresholds
from app.store.connection import Connection


class Settings(Connection):
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
