"""常用审核意见: the officer's list of opinions to pick from when reviewing."""

from __future__ import annotations

from app.core.errors import UsageError
from app.store import Store


def list_opinions(store: Store) -> list[str]:
    """The common opinions in the order they were added."""
    return store.opinions()


def add_opinion(store: Store, text: str) -> bool:
    """Add ``text`` (trimmed); False when it is in the list already. An empty text is refused."""
    text = text.strip()
    if not text:
        raise UsageError("常用审核意见不能为空", "请先在审核意见框中写好意见，再加入常用审核意见")
    return store.add_opinion(text)


def remove_opinion(store: Store, text: str) -> bool:
    """Remove ``text``; False when it was not in the list."""
    return store.remove_opinion(text)
