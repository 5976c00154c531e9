"""--db and --json where people put them: before the command (as ``git -C``) or after it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import common_options_last
from tests.cli.test_cli import zcws


@pytest.mark.parametrize(
    ("given", "read"),
    [
        (["--db", "F", "cases"], ["cases", "--db", "F"]),
        (["--json", "--db=F", "show", "3"], ["show", "3", "--json", "--db=F"]),
        (
            ["--db", "F", "blanks", "import", "a.pdf", "--case", "1"],
            ["blanks", "import", "a.pdf", "--case", "1", "--db", "F"],
        ),
        (["--db", "F", "check", "--", "-odd.jpg"], ["check", "--db", "F", "--", "-odd.jpg"]),
        (["cases", "--db", "F"], ["cases", "--db", "F"]),
        (["--db"], ["--db"]),  # no value: argparse says so
        (["--db", "F"], ["--db", "F"]),  # no command: the help
        (["--version"], ["--version"]),
    ],
)
def test_common_options_before_the_command_are_read_after_it(given: list[str], read: list[str]) -> None:
    assert common_options_last(given) == read


def test_the_same_answer_before_or_after_the_command(tmp_path: Path) -> None:
    db = str(tmp_path / "opts.sqlite3")
    assert zcws("--db", db, "demo", home=tmp_path).returncode == 0
    before = zcws("--db", db, "--json", "cases", home=tmp_path)
    after = zcws("cases", "--json", "--db", db, home=tmp_path)
    assert before.returncode == after.returncode == 0, before.stderr
    assert json.loads(before.stdout) == json.loads(after.stdout) != []
    wrong = zcws("--json", "demo", "--db", db, home=tmp_path)  # demo prints no JSON: said, as after it
    assert wrong.returncode == 2 and "--json" in wrong.stderr
    helped = zcws("--help", home=tmp_path)
    assert helped.stdout.count("可以写在命令之前或之后") == 1
