"""One window per store: a second launch brings the open window to the front and ends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from app.ui.single import SingleInstance

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_instance_wakes_the_first_instead_of_opening(qtbot, tmp_path: Path) -> None:
    store = tmp_path / "zcws.sqlite3"
    first, second = SingleInstance(store), SingleInstance(store)
    woken: list[bool] = []
    assert first.acquire()
    first.listen(lambda: woken.append(True))
    assert not second.acquire()
    assert second.wake_running()
    qtbot.waitUntil(lambda: bool(woken), timeout=5000)
    # asked again: woken again
    assert second.wake_running()
    qtbot.waitUntil(lambda: len(woken) >= 2, timeout=5000)
    first.release()
    third = SingleInstance(store)
    assert third.acquire()  # the window closed: the next launch opens one
    third.release()


def test_another_store_is_another_window(tmp_path: Path) -> None:
    # the demo store's folder does not exist before its first launch: the lock is taken all the same
    real, demo = SingleInstance(tmp_path / "zcws.sqlite3"), SingleInstance(tmp_path / "demo" / "zcws.sqlite3")
    assert real.acquire() and demo.acquire()
    assert (tmp_path / "demo" / "zcws.sqlite3.lock").exists()
    assert not SingleInstance(tmp_path / "demo" / "zcws.sqlite3").acquire()
    real.release()
    demo.release()


def test_a_lock_left_by_a_killed_program_does_not_keep_the_officer_out(tmp_path: Path) -> None:
    store = tmp_path / "zcws.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom PySide6.QtCore import QLockFile\n"
         "lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0); assert lock.tryLock(1000)\n"
         "print('locked', flush=True); time.sleep(60)", str(store) + ".lock"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert not SingleInstance(store).acquire()  # alive: taken
    finally:
        holder.kill()
        holder.communicate()
    again = SingleInstance(store)
    assert again.acquire()  # killed: the lock is stale and taken over
    again.release()


def test_launching_the_program_twice_leaves_one_window(tmp_path: Path) -> None:
    env = {**os.environ, "ZCWS_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        log = tmp_path / "home" / "zcws.log"
        deadline = time.monotonic() + 60
        while not (tmp_path / "home" / "zcws.sqlite3.wake").exists():  # the first window listens
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the first window never started listening"
            time.sleep(0.1)
        second = subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=60)  # fmt: skip
        assert second.returncode == 0, second.stderr
        deadline = time.monotonic() + 20
        while "another launch asked for the window" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the first window was not asked to come to the front"
            time.sleep(0.1)
        assert first.poll() is None  # still the one window
    finally:
        first.terminate()
        first.communicate(timeout=30)
