"""Sorting a stack of scans to cases and slots, and attaching one file to a slot."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.cli import main
from app.core.errors import RuleError
from app.core.models import Slot
from app.core.payload import FormKind
from app.core.progress import Cancelled, CancelToken
from app.core.review import Module, ModuleMark, ReviewResult
from app.ops.cases import resubmit_case, review_case
from app.ops.scan import AttachRefused, attach_file, check_files, sort_inbox
from app.scan.verdicts import Verdict
from tests.scan import scans
from tests.scan.conftest import CASE_A, CASE_B, World


def publicity_page() -> bytes:
    """A 推荐单位公示证明 made elsewhere: text and a seal, no code of ours."""
    page = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(page)
    for y in range(200, 1400, 60):
        d.line((150, y, 1090, y), fill=(40, 40, 40), width=3)
    d.ellipse((800, 1300, 1050, 1550), outline=(210, 30, 30), width=10)
    return scans.jpeg(page, 85)


def make_stack(world: World, name: str = "stack.pdf") -> Path:
    pages = [
        scans.jpeg(scans.seal(world.page(CASE_A, FormKind.OPINION)), 80),
        scans.jpeg(world.page(CASE_A, FormKind.APPRAISAL), 80),
        scans.jpeg(scans.rotated(world.page(CASE_B, FormKind.OPINION), 180), 80),
        publicity_page(),
        scans.jpeg(world.page(CASE_A, FormKind.OPINION), 85),  # the same form again, clean this time
    ]
    return scans.scanner_pdf(pages, world.dir / "inbox" / name)


def test_sort_places_pages_keeps_the_best_and_lists_the_rest(world: World) -> None:
    stack = make_stack(world)
    result = sort_inbox(world.store, [stack], out_dir=world.dir / "upload")
    placed = {(p.case_id, p.slot): p.result.page for p in result.placed}
    assert placed == {(CASE_A, Slot.OPINION): 5, (CASE_A, Slot.APPRAISAL): 2, (CASE_B, Slot.OPINION): 3}
    unplaced = {u.result.page: u for u in result.unplaced}
    assert set(unplaced) == {1, 4}
    assert unplaced[4].result.final is Verdict.NO_QR and "请手动指定办件和附件栏" in unplaced[4].message
    assert "更好的一页" in unplaced[1].message
    assert all(p.result.ok for p in result.placed)
    assert not world.store.attachments(CASE_A)  # without apply nothing is stored
    shape = result.to_json()
    assert set(shape) == {"placed", "unplaced"}
    assert {"file", "page", "case_id", "slot", "revision", "verdict"} <= set(shape["placed"][0])
    assert {"file", "page", "verdict", "message"} <= set(shape["unplaced"][0])


def test_sort_apply_stores_the_placed_pages(world: World) -> None:
    stack = make_stack(world)
    result = sort_inbox(world.store, [world.dir / "inbox"], apply=True, out_dir=world.dir / "upload")
    assert all(p.stored for p in result.placed)
    a = {x.slot: x for x in world.store.attachments(CASE_A)}
    assert set(a) == {Slot.OPINION, Slot.APPRAISAL}
    assert a[Slot.OPINION].verdict == "ok" and a[Slot.OPINION].original_name == stack.name
    stored = world.store.blob_path(a[Slot.OPINION].sha256, a[Slot.OPINION].ext)
    assert stored.read_bytes()[:2] == b"\xff\xd8"
    assert [x.slot for x in world.store.attachments(CASE_B)] == [Slot.OPINION]


def test_sort_does_not_store_a_stale_page(world: World) -> None:
    path = world.write("a.jpg", scans.jpeg(world.page(), 85))
    now = datetime.now()
    review_case(
        world.store, CASE_A, ReviewResult.RETURN, "请修改", [ModuleMark(Module.BASIC, True, "电话有误")], now=now
    )
    resubmit_case(world.store, CASE_A, {}, now=now + timedelta(minutes=1))
    result = sort_inbox(world.store, [path], apply=True, out_dir=world.dir / "upload")
    assert [p.result.final for p in result.placed] == [Verdict.STALE]
    assert not result.placed[0].stored and not world.store.attachments(CASE_A)


def test_sort_with_two_workers_matches_one(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.scan import pool

    monkeypatch.setattr(pool, "POOL_MIN_PAGES", 0)  # these few pages would not start a pool otherwise
    used: list[int] = []
    real = pool._start_pool
    monkeypatch.setattr(pool, "_start_pool", lambda workers, **kw: used.append(workers) or real(workers, **kw))
    page = scans.jpeg(world.page(CASE_B, FormKind.OPINION), 70)
    pdf = scans.scanner_pdf([page] * 13, world.dir / "many.pdf")
    one = sort_inbox(world.store, [pdf], out_dir=world.dir / "u1", workers=1).to_json()
    two = sort_inbox(world.store, [pdf], out_dir=world.dir / "u2", workers=2).to_json()
    strip = lambda d: json.dumps(d).replace(str(world.dir / "u1"), "U").replace(str(world.dir / "u2"), "U")  # noqa: E731
    assert strip(one) == strip(two)
    assert used == [1]  # this process and one worker
    assert len(one["placed"]) == 1 and len(one["unplaced"]) == 12


def test_a_cancelled_sort_stores_nothing(world: World) -> None:
    stack = make_stack(world)
    token = CancelToken()

    def cancel_after_first(done: int, total: int, text: str) -> None:
        if done >= 1:
            token.cancel()

    with pytest.raises(Cancelled):
        sort_inbox(world.store, [stack], apply=True, progress=cancel_after_first, token=token)
    assert not world.store.attachments(CASE_A) and not world.store.attachments(CASE_B)


def test_attach_ok_wrong_and_publicity_without_code(world: World) -> None:
    s = world.store
    good = world.write("good.jpg", scans.jpeg(scans.seal(world.page()), 80))
    r = attach_file(s, CASE_A, Slot.OPINION, good)
    assert r.ok
    (att,) = s.attachments(CASE_A)
    assert (att.slot, att.verdict, att.revision) == (Slot.OPINION, "ok", 1)
    # the repaired image is what was stored, not the sealed original
    assert s.blob_path(att.sha256, att.ext).read_bytes() == Path(r.upload_path).read_bytes()

    other = world.write("b.jpg", scans.jpeg(world.page(CASE_B), 85))
    with pytest.raises(AttachRefused) as refused:
        attach_file(s, CASE_A, Slot.OPINION, other)
    assert refused.value.result.verdict is Verdict.WRONG_PERSON
    assert [a.id for a in s.attachments(CASE_A)] == [att.id]

    notice = world.write("gongshi.jpg", publicity_page())
    p = attach_file(s, CASE_A, Slot.PUBLICITY, notice)
    assert p.verdict is Verdict.NO_QR
    stored = {a.slot: a for a in s.attachments(CASE_A)}[Slot.PUBLICITY]
    assert stored.verdict == "ok" and "没有本程序的二维码" in stored.message  # 单位送审 counts it as there
    with pytest.raises(AttachRefused):
        attach_file(s, CASE_A, Slot.APPRAISAL, notice)


def test_attach_takes_the_asked_page_of_a_pdf(world: World) -> None:
    stack = make_stack(world)
    r = attach_file(world.store, CASE_B, Slot.OPINION, stack, page=3)
    assert r.verdict is Verdict.NOT_IMAGE and r.ok
    (att,) = world.store.attachments(CASE_B)
    assert att.verdict == "ok"


def test_cli_sort_json_and_attach(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    make_stack(world)
    db = str(world.store.path)
    assert main(["sort", str(world.dir / "inbox"), "--db", db, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["placed"]) == 3 and len(out["unplaced"]) == 2

    assert main(["sort", str(world.dir / "inbox"), "--db", db, "--apply"]) == 0
    text = capsys.readouterr().out
    assert "已保存 3 个附件" in text

    wrong = world.write("b.jpg", scans.jpeg(world.page(CASE_B), 85))
    assert main(["attach", str(CASE_A), "opinion", str(wrong), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "不是" in err and len(err.strip().splitlines()) == 1
    assert main(["attach", str(CASE_A), "nonsense", str(wrong), "--db", db]) == 2


def test_cli_check_table(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    good = world.write("good.jpg", scans.jpeg(world.page(), 85))
    wrong = world.write("b.jpg", scans.jpeg(world.page(CASE_B), 85))
    code = main(
        ["check", str(good), str(wrong), "--case", str(CASE_A), "--slot", "opinion", "--db", str(world.store.path)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "√ good.jpg 第 1 页：可以上传" in out and "× b.jpg 第 1 页：不是此人的表格" in out
    assert "共 2 页：1 页可以上传" in out
    assert main(["check", str(good), "--case", str(CASE_A), "--db", str(world.store.path)]) == 2


def test_a_worker_that_dies_costs_only_its_pages(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ops.scan import check_files
    from app.scan import pool
    from tests.scan.crashing import run_job_crashing

    monkeypatch.setattr(pool, "POOL_MIN_PAGES", 0)
    monkeypatch.setattr(pool, "run_job", run_job_crashing)  # in the worker; this process scans its own chunks
    page = scans.jpeg(world.page(CASE_B, FormKind.OPINION), 70)
    pdf = scans.scanner_pdf([page] * 12, world.dir / "many.pdf")
    results = check_files(world.store, [pdf], out_dir=world.dir / "u", workers=2)
    verdicts = [r.final for r in results]
    assert [r.page for r in results] == list(range(1, 13))
    assert verdicts[4:8] == [Verdict.UNREADABLE_FILE] * 4
    assert verdicts[:4] == verdicts[8:] == [Verdict.OK] * 4


def test_a_case_that_was_sent_or_closed_takes_no_more_attachments(world: World) -> None:
    from app.core.review import Status

    s = world.store
    s.update_case(CASE_A, status=Status.DISPATCHED)
    good = world.write("good.jpg", scans.jpeg(world.page(), 85))
    with pytest.raises(RuleError, match="已送审"):
        attach_file(s, CASE_A, Slot.OPINION, good)
    sorted_ = sort_inbox(s, [good], apply=True)
    assert sorted_.placed == []
    assert ["已送审" in u.message for u in sorted_.unplaced] == [True]
    assert s.attachments(CASE_A) == []


def test_a_blank_page_is_said_to_be_blank_and_is_no_publicity_certificate(world: World) -> None:
    s = world.store
    blank = world.write("背面.jpg", scans.jpeg(Image.new("RGB", (1240, 1754), "white"), 85))
    (r,) = check_files(s, [blank], CASE_A, Slot.PUBLICITY)
    assert r.verdict is Verdict.NO_QR and "空白" in r.message
    with pytest.raises(AttachRefused):
        attach_file(s, CASE_A, Slot.PUBLICITY, blank)
    assert s.attachments(CASE_A) == []
    # a certificate made elsewhere (text and a seal, no code) still goes in
    assert not attach_file(s, CASE_A, Slot.PUBLICITY, world.write("gongshi.jpg", publicity_page())).blank


def test_each_page_is_told_as_soon_as_it_is_checked(world: World) -> None:
    stack = make_stack(world)
    done: list[int] = []
    told: list[tuple[int, int]] = []  # (page, pages done when it was told)
    result = sort_inbox(world.store, [stack], out_dir=world.dir / "upload",
                        progress=lambda n, total, text: done.append(n),
                        on_result=lambda r: told.append((r.page, done[-1])))  # fmt: skip
    # in order, each page before the next one was read
    assert told == [(page, page) for page in range(1, 6)]
    assert len(result.placed) + len(result.unplaced) == 5


def test_workers_that_cannot_start_leave_every_page_to_this_process(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ops.scan import check_files
    from app.scan import pool
    from tests.scan.crashing import never_starts

    monkeypatch.setattr(pool, "POOL_MIN_PAGES", 0)
    monkeypatch.setattr(pool, "_ready", never_starts)
    page = scans.jpeg(world.page(CASE_B, FormKind.OPINION), 70)
    pdf = scans.scanner_pdf([page] * 12, world.dir / "many.pdf")
    results = check_files(world.store, [pdf], out_dir=world.dir / "u", workers=2)
    assert [r.page for r in results] == list(range(1, 13))
    assert [r.final for r in results] == [Verdict.OK] * 12
