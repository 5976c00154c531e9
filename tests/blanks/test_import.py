"""Bringing downloaded blanks in: every layout read, every binding right or asked, bad input refused."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import qrcode
from fpdf import FPDF

from app.core.errors import UsageError
from app.core.ids import mask_id
from app.core.models import Slot
from app.forms.portal import PortalPage, demo_code, portal_pdf
from app.ops.blanks import import_blanks
from tests.blanks.conftest import Office
from tests.scan.scans import jpeg, rasterize, scanner_pdf


def _kept(office: Office) -> list[tuple[int, Slot, str]]:
    return [(b.case_id, b.slot, b.code) for b in office.store.blanks_of()]


@pytest.mark.parametrize(
    ("options", "shown"),
    [({"code_as_image": True}, None), ({"code_as_image": False}, None), ({"code_as_image": True}, "masked")],
)
def test_each_layout_is_bound_to_its_case_and_form(office: Office, options: dict, shown: str | None) -> None:
    number = mask_id("42020319900202123X") if shown else None
    path, code = office.download("李娜", Slot.OPINION, "download.pdf", shown_id=number, **options)
    result = import_blanks(office.store, [path])
    assert [(i.case_id, i.slot, i.status) for i in result.imported] == [(office.ids["李娜"], Slot.OPINION, "new")]
    assert office.store.current_blank(office.ids["李娜"], Slot.OPINION).code == code  # type: ignore[union-attr]


def test_without_a_text_layer_the_file_name_tells_the_person_and_the_form(office: Office) -> None:
    path, _ = office.download("王芳", Slot.APPRAISAL, "王芳-考核表(3).pdf", text_layer=False)
    result = import_blanks(office.store, [path])
    assert [(i.case_id, i.slot) for i in result.imported] == [(office.ids["王芳"], Slot.APPRAISAL)]
    bare, _ = office.download("王芳", Slot.APPRAISAL, "考核表(4).pdf", text_layer=False)
    result = import_blanks(office.store, [bare])
    assert not result.imported and "没有找到哪个办件" in result.unmatched[0].reason
    assert result.unmatched[0].guess_slot is Slot.APPRAISAL and result.unmatched[0].assignable


def test_the_same_blank_again_changes_nothing_and_a_new_one_replaces(office: Office) -> None:
    first, _ = office.download("张伟", Slot.APPRAISAL, "考核表.pdf")
    assert import_blanks(office.store, [first], now=datetime(2026, 11, 3, 9)).imported[0].status == "new"
    assert import_blanks(office.store, [first]).imported[0].status == "same"
    second, code = office.download("张伟", Slot.APPRAISAL, "考核表(1).pdf")
    assert import_blanks(office.store, [second], now=datetime(2026, 11, 20, 9)).imported[0].status == "replaced"
    kept = office.store.blanks_of()
    assert [(b.number, b.current) for b in kept] == [(1, False), (2, True)] and kept[1].code == code


def test_a_code_bound_elsewhere_is_refused_naming_both(office: Office) -> None:
    path, code = office.download("张伟", Slot.APPRAISAL)
    import_blanks(office.store, [path])
    other, _ = office.download("李娜", Slot.APPRAISAL, code=code)
    result = import_blanks(office.store, [other])
    assert not result.imported
    assert "张伟" in result.unmatched[0].reason and "李娜" in result.unmatched[0].reason
    assert len(office.store.blanks_of()) == 1


def test_a_name_two_cases_share_is_not_guessed_and_the_officer_assigns(office: Office) -> None:
    s = office.store
    twin = s.add_case(s.plans()[0].id, "张伟", "420205199912121238", "工程技术人员", "水利水电", "工程师", "u",
                      datetime(2026, 9, 1).date())  # fmt: skip
    path, _ = office.download("张伟", Slot.OPINION, shown_id=mask_id("420205199912121238"))
    result = import_blanks(s, [path])
    assert not result.imported and "都叫张伟" in result.unmatched[0].reason
    assert _kept(office) == []
    assigned = import_blanks(s, [path], twin, Slot.OPINION)
    assert [(i.case_id, i.slot) for i in assigned.imported] == [(twin, Slot.OPINION)]
    assert import_blanks(s, [path], office.ids["李娜"], Slot.OPINION).unmatched  # bound to the twin: refused


def test_an_assignment_against_a_full_id_number_is_refused(office: Office) -> None:
    path, _ = office.download("张伟", Slot.OPINION)
    result = import_blanks(office.store, [path], office.ids["李娜"], Slot.OPINION)
    assert not result.imported and "张伟" in result.unmatched[0].reason
    with pytest.raises(UsageError):
        import_blanks(office.store, [path], office.ids["李娜"])


def test_a_folder_and_a_zip_of_downloads_several_pages_in_one_file(office: Office, tmp_path: Path) -> None:
    pages = [PortalPage(Slot.OPINION, demo_code(), name, number) for name, number in
             (("张伟", "420202198501011235"), ("李娜", "42020319900202123X"))]  # fmt: skip
    (office.folder / "批量.pdf").write_bytes(portal_pdf(pages))
    (office.folder / "sub").mkdir()
    office.download("王芳", Slot.APPRAISAL, "sub/考核表(2).pdf")
    archive = tmp_path / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("王芳/单位审核意见表.pdf", portal_pdf([PortalPage(Slot.OPINION, demo_code(), "王芳")]))
        zf.writestr("readme.txt", "not a pdf")
    result = import_blanks(office.store, [office.folder, archive])
    assert sorted((i.case_id, i.slot.value) for i in result.imported) == sorted([
        (office.ids["张伟"], "opinion"), (office.ids["李娜"], "opinion"),
        (office.ids["王芳"], "appraisal"), (office.ids["王芳"], "opinion"),
    ])  # fmt: skip
    assert not result.unmatched


def _bad_files(office: Office, tmp_path: Path) -> dict[str, Path]:
    bad = tmp_path / "bad"
    bad.mkdir()
    good = office.download("张伟", Slot.OPINION)[0].read_bytes()
    files = {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "not_pdf": b"hello, this is a text file\n" * 10,
    }
    enc = FPDF()
    enc.add_page()
    enc.set_encryption(owner_password="a", user_password="b")
    files["encrypted"] = bytes(enc.output())
    plain = FPDF()
    plain.add_page()
    files["no_code"] = bytes(plain.output())
    two = FPDF()
    two.add_page()
    for x in (20, 120):
        buf = io.BytesIO()
        qrcode.make(demo_code()).save(buf, format="PNG")
        two.image(buf, x=x, y=20, w=40)
    files["two_codes"] = bytes(two.output())
    many = FPDF()
    for _ in range(500):
        many.add_page()
    files["many_pages"] = bytes(many.output())
    out = {name: bad / f"{name}.pdf" for name in files}
    for name, data in files.items():
        out[name].write_bytes(data)
    bomb = bad / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.pdf", b"%PDF-1.4\n" + b"\0" * (60 * 1024 * 1024))
    out["bomb"] = bomb
    escape = bad / "escape.zip"
    with zipfile.ZipFile(escape, "w") as zf:
        zf.writestr("../../evil.pdf", good)
    out["escape"] = escape
    scan = bad / "scan.pdf"
    scanner_pdf([jpeg(rasterize(office.download("李娜", Slot.OPINION)[0], 150))], scan, 150)
    out["scan"] = scan
    return out


EXPECTED = {
    "empty": "空的", "truncated": "损坏或不完整", "not_pdf": "不是 PDF", "encrypted": "加密",
    "no_code": "没有二维码", "two_codes": "2 个不同的二维码", "many_pages": "500 页",
    "bomb": "大得离谱", "escape": "路径不安全", "scan": "扫描或拍照的图片",
}  # fmt: skip


def test_bad_input_is_a_clear_message_per_file_and_keeps_nothing(office: Office, tmp_path: Path) -> None:
    files = _bad_files(office, tmp_path)
    result = import_blanks(office.store, list(files.values()))
    assert not result.imported and _kept(office) == []
    reasons = {name: u.reason for u in result.unmatched for name, f in files.items() if u.page.file.startswith(str(f))}
    for name, words in EXPECTED.items():
        assert words in reasons[name], (name, reasons[name])
    assert not (tmp_path.parent / "evil.pdf").exists()
