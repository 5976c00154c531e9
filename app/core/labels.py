"""Enums whose value is a stable key (for the CLI, JSON and the store) and which carry a Chinese label."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from app.core.errors import UsageError


class Labelled(StrEnum):
    """Members are declared as ``KEY = "key", "中文名"``; :meth:`parse` accepts either."""

    label: str

    # ``label`` has a default only so that a type checker takes ``Cls("key")`` (a look-up by value,
    # which never reaches this method) for what it is; every member is declared with its label.
    def __new__(cls, value: str, label: str = "") -> Self:
        if not label:
            raise TypeError(f"{cls.__name__}.{value}: a member needs its Chinese label")
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def noun(cls) -> str:
        """What a member is called in an error message (未知的<noun>)."""
        return "取值"

    @classmethod
    def aliases(cls, member: Self) -> tuple[str, ...]:
        """Other texts that name ``member`` besides its key and label."""
        return ()

    @classmethod
    def parse(cls, text: str) -> Self:
        wanted = text.strip()
        for member in cls:
            if wanted in (member.value, member.label, *cls.aliases(member)):
                return member
        names = "、".join(f"{m.value}（{m.label}）" for m in cls)
        raise UsageError(f"未知的{cls.noun()}“{wanted}”", f"可用：{names}")
