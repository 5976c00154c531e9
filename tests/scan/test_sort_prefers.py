"""Sorting never prefers the form as zcws printed it (never signed) over a real scan, and never replaces a
stored attachment without saying so, naming both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.core.models import Slot
from app.core.payload import FormKind
from app.ops.scan import attach_file, sort_inbox
from tests.scan import scans, stamps
from tests.scan.conftest import CASE_A, World

pytestmark = pytest.mark.usefixtures("hostile")


def signed_scan(world: World, name: str, quality: int = 85) -> Path:
    return world.write(name, scans.jpeg(stamps.signed(world.page(CASE_A, FormKind.OPINION)), quality))


@pytest.mark.parametrize("printout_first", [True, False])
def test_the_printout_itself_is_never_preferred_over_a_signed_scan(world: World, printout_first: bool) -> None:
    printout = world.pdfs[(CASE_A, FormKind.OPINION)]  # the PDF zcws forms wrote, never printed nor signed
    scan = signed_scan(world, "signed.jpg")
    inbox = world.dir / "inbox"
    copy = inbox / ("a-printout.pdf" if printout_first else "z-printout.pdf")
    copy.write_bytes(printout.read_bytes())
    result = sort_inbox(world.store, [inbox], apply=True, out_dir=world.dir / "upload")
    (placed,) = [p for p in result.placed if p.slot is Slot.OPINION]
    assert Path(placed.result.file) == scan and placed.stored
    assert placed.result.stamped is True
    (left,) = [u for u in result.unplaced if Path(u.result.file) == copy]
    assert left.result.stamped is False and "空白表本身" in left.message
    assert "更好的一页" in left.message and "signed.jpg" in left.message
    (att,) = [a for a in world.store.attachments(CASE_A) if a.slot is Slot.OPINION]
    assert att.original_name == "signed.jpg"


def test_a_sort_that_replaces_a_stored_attachment_says_so_naming_both(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    first = signed_scan(world, "first.jpg", 85)
    attach_file(world.store, CASE_A, Slot.OPINION, first)
    second = world.dir / "stack" / "second.jpg"
    second.parent.mkdir()
    second.write_bytes(scans.jpeg(stamps.signed(world.page(CASE_A, FormKind.OPINION)), 70))

    dry = sort_inbox(world.store, [second.parent], out_dir=world.dir / "upload")
    (p,) = dry.placed
    assert "将替换" in p.replacing and "first.jpg" in p.replacing and "second.jpg" in p.replacing

    done = sort_inbox(world.store, [second.parent], apply=True, out_dir=world.dir / "upload")
    (p,) = done.placed
    assert p.stored and p.replacing.startswith("已替换")
    assert "first.jpg" in p.replacing and "second.jpg" in p.replacing
    assert p.to_json()["replaces"]["original_name"] == "first.jpg"
    (att,) = [a for a in world.store.attachments(CASE_A) if a.slot is Slot.OPINION]
    assert att.original_name == "second.jpg"

    # the command line says it too, in words and in JSON
    db = str(world.store.path)
    third = world.dir / "third" / "third.jpg"
    third.parent.mkdir()
    third.write_bytes(scans.jpeg(stamps.signed(world.page(CASE_A, FormKind.OPINION)), 60))
    assert main(["sort", str(third.parent), "--db", db, "--apply"]) == 0
    out = capsys.readouterr().out
    assert "已替换" in out and "second.jpg" in out and "third.jpg" in out
    assert main(["sort", str(third.parent), "--db", db, "--json"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)["placed"]
    assert shown["replaces"] is None  # the same page as stored: nothing would change


def test_the_same_page_sorted_again_replaces_nothing(world: World) -> None:
    scan = signed_scan(world, "signed.jpg")
    attach_file(world.store, CASE_A, Slot.OPINION, scan)
    result = sort_inbox(world.store, [scan], apply=True, out_dir=world.dir / "upload")
    (p,) = result.placed
    assert p.replaces is None and p.replacing == ""
