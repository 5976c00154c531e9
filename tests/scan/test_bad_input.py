"""Bad files get ``unreadable_file`` with a message: never a traceback, a hang or unbounded memory."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF

from app.cli import main
from app.core.models import Slot
from app.ops.scan import AttachRefused, attach_file, check_files
from app.scan.verdicts import Verdict
from tests.scan import scans
from tests.scan.conftest import CASE_A, World


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels: a decompression bomb's header, a few bytes long."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _encrypted_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(path))
    return path


@pytest.fixture
def bad_files(world: World) -> dict[str, Path]:
    good_jpeg = scans.jpeg(world.page(), 80)
    stack = scans.scanner_pdf([good_jpeg], world.dir / "whole.pdf").read_bytes()
    return {
        "empty": world.write("empty.jpg", b""),
        "truncated jpeg": world.write("cut.jpg", good_jpeg[: len(good_jpeg) // 2]),
        "truncated pdf": world.write("cut.pdf", stack[: len(stack) // 3]),
        "encrypted pdf": _encrypted_pdf(world.dir / "inbox" / "locked.pdf"),
        "text named pdf": world.write("notes.pdf", "这不是 PDF，只是文字".encode()),
        "corrupt image": world.write("noise.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 100),
        "bomb png": world.write("bomb.png", _png_header_only(20000, 20000)),
    }


def test_every_bad_file_gets_unreadable_file_with_a_message(world: World, bad_files: dict[str, Path]) -> None:
    results = check_files(world.store, list(bad_files.values()), out_dir=world.dir / "upload")
    assert len(results) == len(bad_files)
    for (what, _), r in zip(bad_files.items(), results, strict=True):
        assert r.verdict is Verdict.UNREADABLE_FILE, (what, r)
        assert r.message and r.fix, what
        assert r.upload_path is None
    by_name = {r.file.name: r for r in results}
    assert "加密" in by_name["locked.pdf"].message
    assert "空" in by_name["empty.jpg"].message
    assert "像素" in by_name["bomb.png"].message


def test_huge_file_is_refused_by_size_before_reading(world: World) -> None:
    world.store.set_setting("scan.max_file_bytes", 1_000_000)
    path = world.write("huge.jpg", scans.jpeg(world.page(), 100) + b"\0" * 1_000_000)
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is Verdict.UNREADABLE_FILE and "过大" in r.message


def test_bad_files_change_nothing_stored(world: World, bad_files: dict[str, Path]) -> None:
    good = world.write("good.jpg", scans.jpeg(world.page(), 85))
    attach_file(world.store, CASE_A, Slot.OPINION, good)
    before = world.store.attachments(CASE_A, active_only=False)
    for path in bad_files.values():
        with pytest.raises(AttachRefused):
            attach_file(world.store, CASE_A, Slot.OPINION, path)
    assert world.store.attachments(CASE_A, active_only=False) == before


def test_cli_check_on_bad_files_exits_0_without_traceback(
    world: World, bad_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", *map(str, bad_files.values()), "--db", str(world.store.path), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "Traceback" not in out + err
    assert out.count('"unreadable_file"') == len(bad_files)
