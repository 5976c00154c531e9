"""Helpers of the robustness suite: fingerprints of a store, killed subprocesses, the summary line."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.robustness.tally import TALLY, Tally

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tally() -> Tally:
    return TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not (TALLY.inputs or TALLY.kills):
        return
    terminalreporter.write_sep("-", "robustness")
    terminalreporter.write_line(
        f"inputs tried: {TALLY.inputs}, kills survived: {TALLY.kills}, data lost: {len(TALLY.lost)}"
    )
    for what in TALLY.lost:
        terminalreporter.write_line(f"  lost: {what}")


def fingerprint(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read without opening a Store (which would migrate or write)."""
    uri = f"file:{db}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables}


def files(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under ``folder``."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def integrity_ok(db: Path) -> bool:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "ZCWS_HOME": str(home), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def zcws(*args: str | Path, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter, as the officer does."""
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        cwd=ROOT, env=env(home), capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )  # fmt: skip


def kill_after(code: str, args: list[str], delay: float, home: Path) -> list[str]:
    """Run ``code`` in a fresh interpreter, SIGKILL it ``delay`` s after it printed ``ready``; its output lines.

    The script reports each finished action on its own flushed line, so the caller knows
    what the store must hold at least.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env(home), stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first == "ready", f"the script did not start: {first!r}"
    time.sleep(delay)
    proc.kill()
    out, _ = proc.communicate()
    TALLY.kill()
    return out.splitlines()


#: Prefix of a killed script: ``armed()`` prints ``ready`` and from then on counts every Python and C
#: call; at the ``ZCWS_KILL_AT``-th the process SIGKILLs itself. ``mark(phase)`` notes where a phase
#: of the action begins, so that the kills fall in every phase; ``disarm()`` prints ``steps N``.
PRELUDE = textwrap.dedent(
    """
    import os as _os, signal as _signal, sys as _sys
    _KILL_AT = int(_os.environ.get("ZCWS_KILL_AT", "0"))
    _steps = 0
    def _step(frame, event, arg):
        global _steps
        _steps += 1
        if _steps == _KILL_AT:
            _os.kill(_os.getpid(), _signal.SIGKILL)
    def armed():
        print("ready", flush=True)
        _sys.setprofile(_step)
    _seen = set()
    def mark(phase):
        if phase not in _seen:
            _seen.add(phase)
            print(f"mark {phase} {_steps}", flush=True)
    def disarm():
        _sys.setprofile(None)
        print(f"steps {_steps}", flush=True)
    """
)


def run_script(code: str, args: list[str | Path], home: Path, kill_at: int = 0) -> tuple[int, list[str]]:
    """Run ``PRELUDE + code``; its return code (-9 when it killed itself) and its output lines."""
    r = subprocess.run(
        [sys.executable, "-c", PRELUDE + code, *map(str, args)],
        cwd=ROOT, env={**env(home), "ZCWS_KILL_AT": str(kill_at)}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if r.returncode not in (0, -9):
        raise AssertionError(f"the script failed ({r.returncode}): {r.stderr[-2000:]}")
    if r.returncode == -9:
        TALLY.kill()
    return r.returncode, r.stdout.splitlines()


def kill_points(
    code: str, prepare: Callable[[Path], list[str | Path]], base: Path, rng: random.Random, n: int
) -> Iterator[tuple[list[str | Path], list[str], int, int]]:
    """Kill the action of ``code`` at ``n`` random steps, each on fresh state from ``prepare(folder)``.

    A first run, not killed, counts the steps of each phase; the kills take the phases in
    turn, at a random step inside. Yields (args, output lines, kill step, steps).
    """
    args = prepare(base / "calibration")
    _, lines = run_script(code, args, base / "home")
    total = int(next(line.split()[1] for line in lines if line.startswith("steps ")))
    bounds = sorted({0, total, *(int(line.split()[2]) for line in lines if line.startswith("mark "))})
    phases = [(a + 1, b) for a, b in itertools.pairwise(bounds) if b > a]
    for i in range(n):
        at = rng.randint(*phases[i % len(phases)])
        args = prepare(base / f"kill-{i}")
        _, lines = run_script(code, args, base / "home", kill_at=at)
        yield args, lines, at, total


class Seeded(random.Random):
    """A random source that remembers its seed, for the failure message (replay with ZCWS_ROBUST_SEED)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.seed_value = seed

    def __str__(self) -> str:
        return f"ZCWS_ROBUST_SEED={self.seed_value}"


@pytest.fixture
def rng() -> Seeded:
    return Seeded(int(os.environ.get("ZCWS_ROBUST_SEED", random.randrange(10**6))))
