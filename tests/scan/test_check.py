"""The self-check on real degraded scans of our own forms, and the verdicts that must never be a false accept."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageChops, ImageDraw

from app.cli.wording import fix_text as cli_fix
from app.core import payload as qr
from app.core.models import Slot
from app.core.payload import FormKind, Payload
from app.core.review import Module, ModuleMark, ReviewResult
from app.core.steps import Next, Step
from app.ops.cases import resubmit_case, review_case
from app.ops.scan import check_files, verify_image
from app.scan.verdicts import Verdict
from app.ui.wording import fix_text as window_fix
from tests.scan import scans
from tests.scan.conftest import CASE_A, CASE_B, World


def strict_texts(path: Path) -> set[str]:
    """What the portal's plain reader gets from the file exactly as written."""
    with Image.open(path) as im:
        found = zxingcpp.read_barcodes(
            im.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=False, try_invert=False,
            try_downscale=False,
        )  # fmt: skip
    return {b.text for b in found}


def form_text(world: World, case_id: int = CASE_A, kind: FormKind = FormKind.OPINION) -> str:
    found = zxingcpp.read_barcodes(world.page(case_id, kind), formats=zxingcpp.BarcodeFormat.QRCode)
    return found[0].text


def one(world: World, path: Path, case_id: int | None = None, slot: Slot | None = None):
    (result,) = check_files(world.store, [path], case_id, slot, out_dir=world.dir / "upload")
    return result


def test_rendered_pdf_is_converted_to_an_image_that_reads(world: World) -> None:
    pdf = world.pdfs[(CASE_A, FormKind.OPINION)]
    r = one(world, pdf, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.NOT_IMAGE
    assert r.converted_verdict is Verdict.OK
    assert r.upload_path is not None and r.upload_path.suffix == ".jpg"
    assert form_text(world) in strict_texts(r.upload_path)
    assert r.to_json()["converted_path"] == str(r.converted_path)
    assert (r.case_id, r.form) == (CASE_A, "opinion")


def test_a_clean_jpeg_scan_is_uploaded_as_it_is(world: World) -> None:
    path = world.write("clean.jpg", scans.jpeg(world.page(), 85))
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.OK
    assert r.upload_path == path
    assert r.qr_box is not None and len(r.qr_box) == 4
    assert r.image_size == world.page().size


def _sealed(im: Image.Image) -> Image.Image:
    return scans.seal(im)


DEGRADATIONS = {
    "red seal over the code, JPEG": lambda im: scans.jpeg(_sealed(im), 80),
    "150 DPI with seal": lambda im: scans.jpeg(_sealed(im).resize((im.width // 2, im.height // 2), Image.LANCZOS), 70),
    "slightly rotated": lambda im: scans.jpeg(scans.rotated(_sealed(im), 2.5), 80),
    "upside down": lambda im: scans.jpeg(scans.rotated(im, 180), 80),
    "sideways": lambda im: scans.jpeg(scans.rotated(im, 90), 80),
    "blurred": lambda im: scans.jpeg(scans.blurred(_sealed(im), 2.0), 80),
    "phone photo": lambda im: scans.jpeg(scans.phone_photo(_sealed(im)), 85),
}


@pytest.mark.parametrize("how", list(DEGRADATIONS))
def test_degraded_scans_end_as_ok_upload_ready_images(world: World, how: str) -> None:
    path = world.write("scan.jpg", DEGRADATIONS[how](world.page()))
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.OK, r.message
    assert r.upload_path is not None
    assert form_text(world) in strict_texts(r.upload_path)
    assert r.upload_path.stat().st_size <= world.store.get_setting("upload.max_bytes")
    with Image.open(r.upload_path) as im:
        assert max(im.size) <= world.store.get_setting("upload.max_side")
        assert im.height > im.width  # the form stands upright


def test_the_seal_really_defeats_a_plain_reader_and_the_repair_fixes_it(world: World) -> None:
    path = world.write("sealed.jpg", scans.jpeg(_sealed(world.page()), 80))
    assert strict_texts(path) == set()  # the portal would say 二维码解析失败
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.ok and r.repaired
    assert "印章" in r.message
    # outside the code the seal is still there, in red
    with Image.open(r.upload_path) as im:
        red, green, _ = im.convert("RGB").resize((200, 283)).split()
    reddish = ImageChops.multiply(
        red.point(lambda v: 255 if v > 150 else 0), green.point(lambda v: 255 if v < 90 else 0)
    )
    assert reddish.histogram()[255] > 20


def test_upside_down_page_is_turned_upright(world: World) -> None:
    path = world.write("upside.jpg", scans.jpeg(scans.rotated(world.page(), 180), 85))
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.ok and r.upload_path != path and "转正" in r.message
    with Image.open(r.upload_path) as im:
        (code,) = zxingcpp.read_barcodes(im.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert abs(code.orientation) < 5
    assert code.position.top_left.y < im.height / 4  # the code is at the top again


def test_scanner_pdf_of_jpeg_pages_is_checked_page_by_page(world: World) -> None:
    pages = [
        scans.jpeg(world.page(CASE_A, FormKind.OPINION), 85),
        scans.jpeg(_sealed(world.page(CASE_A, FormKind.APPRAISAL)), 80),
        scans.jpeg(scans.rotated(world.page(CASE_B, FormKind.OPINION), 180), 80),
    ]
    pdf = scans.scanner_pdf(pages, world.dir / "stack.pdf")
    results = check_files(world.store, [pdf], out_dir=world.dir / "upload")
    assert [r.page for r in results] == [1, 2, 3]
    assert all(r.verdict is Verdict.NOT_IMAGE and r.converted_verdict is Verdict.OK for r in results)
    assert [(r.case_id, r.form) for r in results] == [(CASE_A, "opinion"), (CASE_A, "appraisal"), (CASE_B, "opinion")]
    # a clean page is the scanner's own JPEG, taken out without loss
    assert results[0].converted_path.read_bytes() == pages[0]
    assert results[0].upload_path == results[0].converted_path
    for r in results:
        assert strict_texts(r.upload_path)


def test_wrong_person_names_whose_form_it_is(world: World) -> None:
    path = world.write("b.jpg", scans.jpeg(world.page(CASE_B), 85))
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.WRONG_PERSON
    b = world.store.case(CASE_B)
    assert b.name in r.message and b.id_number not in r.message
    assert b.id_number[-4:] in r.message  # masked, but recognisable
    assert r.upload_path is None


def test_wrong_form_in_the_slot(world: World) -> None:
    path = world.write("a.jpg", scans.jpeg(world.page(CASE_A, FormKind.APPRAISAL), 85))
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.WRONG_FORM
    assert "考核表" in r.message and "“单位考核表”栏" in r.fix
    assert cli_fix(r.fix, r.next).endswith(f"（zcws attach {CASE_A} appraisal 文件）")
    assert "拖到该人的“单位考核表”一格" in window_fix(r.fix, r.next)
    assert not r.ok


def test_stale_form_says_when_printed_what_changed_and_how_to_fix(world: World) -> None:
    s = world.store
    path = world.write("old.jpg", scans.jpeg(world.page(), 85))
    now = datetime.now()
    review_case(
        s, CASE_A, ReviewResult.RETURN, "请补充材料", [ModuleMark(Module.STUDY, True, "缺继续教育证明")], now=now
    )
    resubmit_case(s, CASE_A, {}, now=now + timedelta(minutes=5))
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.STALE and not r.ok
    assert date.today().isoformat() in r.message  # printed on
    assert "第 1 版" in r.message and "第 2 版" in r.message
    assert "退回修改" in r.message and "缺继续教育证明" in r.message
    assert "重新生成表格" in r.fix and "zcws" not in r.fix  # each face words the step its own way
    assert r.next == Next(Step.REPRINT_FORM, CASE_A)
    assert f"zcws forms --case {CASE_A}" in cli_fix(r.fix, r.next)
    assert "点“重新生成表格”" in window_fix(r.fix, r.next)
    # without a slot the verdict is the same: a stale form is never ok
    assert one(world, path).verdict is Verdict.STALE


def _qr_page(text: str | list[str]) -> bytes:
    page = Image.new("RGB", (1240, 1754), "white")
    for i, t in enumerate([text] if isinstance(text, str) else text):
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H, box_size=8, border=4)
        code.add_data(t)
        page.paste(code.make_image().convert("RGB"), (100 + 600 * i, 100))
    buf = io.BytesIO()
    page.save(buf, "PNG")
    return buf.getvalue()


def test_tampered_foreign_newer_unknown_and_multi_codes(world: World) -> None:
    s = world.store
    genuine = form_text(world)
    altered = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    other_store = qr.encode(b"another secret" * 3, Payload(CASE_A, FormKind.OPINION, 1, date.today()))
    unknown = qr.encode(s.secret, Payload(9999, FormKind.OPINION, 1, date.today()))
    second = qr.encode(s.secret, Payload(CASE_B, FormKind.OPINION, 1, date.today()))
    cases = {
        "altered.png": (altered, Verdict.TAMPERED),
        "other-store.png": (other_store, Verdict.TAMPERED),
        "foreign.png": ("https://example.com/公示", Verdict.FOREIGN_QR),
        "newer.png": ("ZW2.O3.1.1.AAAAAAAAAAAAA", Verdict.FOREIGN_QR),
        "unknown.png": (unknown, Verdict.UNKNOWN_CASE),
        "two.png": ([genuine, second], Verdict.MULTI_QR),
    }
    for name, (text, verdict) in cases.items():
        r = one(world, world.write(name, _qr_page(text)))
        assert r.verdict is verdict, (name, r.message)
        assert r.message and not r.ok and r.upload_path is None
    r = one(world, world.write("x.png", _qr_page(other_store)))
    assert "不是本程序为本数据库打印" in r.message


def test_a_page_without_any_code(world: World) -> None:
    blank = Image.new("RGB", (1240, 1754), "white")
    path = world.write("blank.jpg", scans.jpeg(blank))
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.NO_QR and r.fix and r.upload_path is None
    assert "空白" in r.message
    printed = blank.copy()
    draw = ImageDraw.Draw(printed)
    for y in range(200, 1400, 60):
        draw.line((150, y, 1090, y), fill=(40, 40, 40), width=3)
    p = one(world, world.write("text.jpg", scans.jpeg(printed)), CASE_A, Slot.PUBLICITY)
    assert p.verdict is Verdict.NO_QR and "公示证明" in p.message


def test_verify_image_is_strict_about_the_very_file(world: World) -> None:
    good = world.write("good.jpg", scans.jpeg(world.page(), 85))
    assert verify_image(world.store, good, CASE_A, Slot.OPINION).ok
    sealed = world.write("sealed.jpg", scans.jpeg(_sealed(world.page()), 80))
    v = verify_image(world.store, sealed, CASE_A, Slot.OPINION)
    assert not v.ok and v.verdict is Verdict.NO_QR
    assert not verify_image(world.store, good, CASE_B, Slot.OPINION).ok


def test_progress_reports_every_page(world: World) -> None:
    pdf = scans.scanner_pdf([scans.jpeg(world.page(), 80)] * 3, world.dir / "three.pdf")
    seen: list[tuple[int, int]] = []
    check_files(world.store, [pdf], progress=lambda d, t, _: seen.append((d, t)), out_dir=world.dir / "u")
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_multi_page_tiff_is_converted_page_by_page(world: World) -> None:
    form = world.page().resize((1240, 1754), Image.LANCZOS)
    blank = Image.new("RGB", form.size, "white")
    path = world.dir / "inbox" / "scan.tif"
    path.parent.mkdir(parents=True, exist_ok=True)
    form.save(path, save_all=True, append_images=[blank], compression="tiff_deflate")
    first, second = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert first.verdict is Verdict.OK and first.upload_path.suffix == ".jpg"  # a TIFF is not uploaded as it is
    assert form_text(world) in strict_texts(first.upload_path)
    assert (second.page, second.verdict) == (2, Verdict.NO_QR)


def test_phone_photo_turned_by_exif_is_uploaded_upright(world: World) -> None:
    sideways = world.page().resize((1240, 1754), Image.LANCZOS).transpose(Image.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # a viewer turns it 90° clockwise to show it upright
    buf = io.BytesIO()
    sideways.save(buf, "JPEG", quality=85, exif=exif.tobytes())
    path = world.write("phone.jpg", buf.getvalue())
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.ok and r.upload_path != path
    with Image.open(r.upload_path) as im:
        assert im.height > im.width and im.getexif().get(0x0112, 1) == 1


def test_an_image_beyond_the_upload_limits_says_it_was_scaled(world: World) -> None:
    big = world.page().resize((world.page().width * 3 // 2, world.page().height * 3 // 2))  # 450 DPI: > 4000 px
    buf = io.BytesIO()
    big.save(buf, "PNG")
    path = world.write("big.png", buf.getvalue())
    r = one(world, path, CASE_A, Slot.OPINION)
    assert r.verdict is Verdict.OK and r.upload_path is not None and r.upload_path != path
    assert "超出上传限制" in r.message and "请上传处理后的图片" in r.message
    with Image.open(r.upload_path) as written:
        assert max(written.size) <= 4000
