"""Counts for the robustness summary: inputs tried, kills survived, data lost (must be 0)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tally:
    inputs: int = 0
    kills: int = 0
    lost: list[str] = field(default_factory=list)

    def input(self, n: int = 1) -> None:
        self.inputs += n

    def kill(self) -> None:
        self.kills += 1

    def loss(self, what: str) -> None:
        self.lost.append(what)


TALLY = Tally()
