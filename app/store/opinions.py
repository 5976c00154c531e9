"""SQL for the common opinions (常用意见) the officer picks from when reviewing."""

from __future__ import annotations

from app.store.connection import Connection


class Opinions(Connection):
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
