"""Odd inputs get the right verdict and a message about their real cause: a PDF image stored negative, a file
where the upload folder should be, a file name starting with '-', a folder of no scans, a terminated case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageOps, ImageStat

from app.cli import main
from app.core.models import Slot
from app.core.payload import FormKind
from app.core.review import Status
from app.forms import render_form_pdf
from app.ops.scan import AttachRefused, attach_file, check_files, sort_inbox
from app.scan.verdicts import Verdict
from tests.scan import scans
from tests.scan.conftest import World
from tests.scan.test_portal_proof import assert_ok_for_the_portal, code_text

pytestmark = pytest.mark.usefixtures("hostile")


def negative_jpeg_pdf(jpeg: bytes, size: tuple[int, int], path: Path, colour: bool) -> Path:
    """A one-page PDF whose image is a JPEG of the page's negative, shown the right way round by /Decode."""
    w, h = size
    decode = "[1 0 1 0 1 0]" if colour else "[1 0]"
    space = "/DeviceRGB" if colour else "/DeviceGray"
    content = b"q 595.28 0 0 841.89 0 0 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /XObject << /Im0 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {space} /BitsPerComponent 8"
        f" /Filter /DCTDecode /Decode {decode} /Length {len(jpeg)} >>\nstream\n".encode()
        + jpeg
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path


@pytest.mark.parametrize("colour", [False, True])
def test_a_pdf_image_stored_negative_is_read_as_it_shows(world: World, colour: bool) -> None:
    page = world.page() if colour else world.page().convert("L")
    negative = ImageOps.invert(page)
    path = negative_jpeg_pdf(scans.jpeg(negative, 88), page.size, world.dir / "inbox" / "negative.pdf", colour)
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is Verdict.NOT_IMAGE
    assert_ok_for_the_portal(r, code_text(world.page()))
    with Image.open(r.upload_path) as im:  # the upload shows the page, not its negative
        assert ImageStat.Stat(im.convert("L")).mean[0] > 180


def test_a_file_where_the_upload_folder_should_be_is_a_disk_message(world: World) -> None:
    blocked = world.dir / "upload"
    blocked.write_text("not a folder")
    path = world.write("tilted.jpg", scans.jpeg(scans.rotated(world.page(), 5), 85))  # its upload image is ours
    (r,) = check_files(world.store, [path], out_dir=blocked)
    assert r.final is Verdict.UNREADABLE_FILE
    assert "无法写入" in r.message and "重新扫描" not in r.fix and "文件夹" in r.fix
    assert blocked.read_text() == "not a folder"


def test_a_file_name_starting_with_a_dash_is_a_file(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = world.dir / "inbox"
    world.write("-rf.jpg", scans.jpeg(world.page(), 85))
    monkeypatch.chdir(folder)
    db = str(world.store.path)
    assert main(["check", "-rf.jpg", "--db", db, "--json"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)
    assert shown["verdict"] == "ok" and Path(shown["file"]).name == "-rf.jpg"
    assert main(["check", "--db", db, "--json", "--", "-rf.jpg"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["verdict"] == "ok"


def test_a_folder_of_no_scans_says_what_was_in_it(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    folder = world.dir / "documents"
    folder.mkdir()
    for i in range(1500):
        (folder / f"note-{i}.txt").write_text("x")
    for i in range(500):
        (folder / f"letter-{i}.docx").write_bytes(b"PK\x03\x04")
    result = sort_inbox(world.store, [folder], out_dir=world.dir / "upload")
    assert not result.placed and not result.unplaced
    assert result.passed_over == {".txt": 1500, ".docx": 500}
    assert main(["sort", str(folder), "--db", str(world.store.path)]) == 0
    out = capsys.readouterr().out
    assert "2000 个文件不是图片或 PDF" in out and ".txt 1500 个" in out and ".docx 500 个" in out


@pytest.mark.parametrize("status", [Status.TERMINATED, Status.UNQUALIFIED])
def test_a_form_of_a_case_whose_process_ended_is_never_ok(world: World, status: Status) -> None:
    case = next(c for c in world.store.cases() if c.status is status)
    pdf = render_form_pdf(world.store, case.id, FormKind.OPINION, world.dir / "ended.pdf")
    page = scans.rasterize(pdf, 300)
    path = world.write("ended.jpg", scans.jpeg(page, 85))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.final is Verdict.STALE and r.upload_path is None
    assert status.label in r.message and "不用上传" in r.fix
    result = sort_inbox(world.store, [path], apply=True, out_dir=world.dir / "upload")
    assert not any(p.result.ok or p.stored for p in result.placed)
    with pytest.raises(AttachRefused):
        attach_file(world.store, case.id, Slot.OPINION, path)
    assert not world.store.attachments(case.id)


def test_an_arithmetic_coded_jpeg_is_decoded_not_called_broken(world: World) -> None:
    """A fixed sample (a page with a WeChat code, made by jpegtran -arithmetic: no Python library writes one)."""
    path = world.write("arithmetic.jpg", (Path(__file__).parents[1] / "data" / "arithmetic-coded.jpg").read_bytes())
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.final is Verdict.FOREIGN_QR, r.message  # decoded, and its code read
    assert "损坏" not in r.message and "二维码读出来了" in r.message
