"""Reading downloaded blanks: files, folders and ZIPs in, one :class:`BlankPage` per page out.

Every download is untrusted. A ZIP is read in memory, member by member, within a
count, a size and an inflation budget; no member is ever written under its own
name, and a name that would climb out of the archive is refused. A PDF is opened
by pypdfium2 from bytes, at most :data:`MAX_PAGES` pages. Per page: the text layer
(pypdfium2's text page), the QR code read strictly on a render (leniently only when
the strict read finds nothing, to tell "no code" from "a code that reads badly"),
and whether the page is one big photographed image, which a download never is.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pypdfium2 as pdfium
from PIL import Image

from app.core.errors import os_cause
from app.core.progress import CancelToken, Progress, no_progress
from app.scan import repair
from app.scan.pages import is_scanned_page
from app.scan.reading import read_lenient, read_strict

log = logging.getLogger(__name__)

#: A download is a page or a few; a batch file of the portal a few dozen.
MAX_PAGES = 100
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_BYTES = 200 * 1024 * 1024
#: A member that inflates more than this (and to more than a megabyte) is a zip bomb, not a PDF.
MAX_ZIP_RATIO = 200
#: The page is rendered at this resolution for its code: a vector code reads at once.
READ_DPI = 200
PDF_SUFFIXES = {".pdf"}
ZIP_SUFFIXES = {".zip"}
OUR_PREFIX = "ZW"


@dataclass(frozen=True)
class Source:
    """One PDF to read: its name as the officer knows it, and its bytes (or why there are none)."""

    name: str
    data: bytes | None = None
    problem: str | None = None

    @property
    def file_name(self) -> str:
        """The file's own name (inside a ZIP: the member's), where a name like 张三-考核表.pdf tells the person."""
        return PurePosixPath(self.name.replace("\\", "/")).name


@dataclass(frozen=True)
class BlankPage:
    """What one downloaded page holds; ``problem`` says why it cannot be a blank (nothing is kept then)."""

    source: Source
    page: int
    code: str | None = None
    text: str = ""
    pdf: bytes | None = None  # the page alone, as a one-page PDF
    problem: str | None = None

    @property
    def file(self) -> str:
        return self.source.name


def sources(paths: list[Path], token: CancelToken | None = None) -> Iterator[Source]:
    """Every PDF of ``paths``: files as given, folders recursively (PDFs and ZIPs), ZIPs member by member."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(
                f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in PDF_SUFFIXES | ZIP_SUFFIXES
            )
            if not files:
                yield Source(str(path), problem="文件夹中没有 PDF 或 ZIP 文件")
            for f in files:
                if token is not None:
                    token.check()
                yield from _file(f)
        elif path.exists():
            yield from _file(path)
        else:
            yield Source(str(path), problem="找不到这个文件或文件夹，请检查路径")


def _file(path: Path) -> Iterator[Source]:
    try:
        size = path.stat().st_size
        if size == 0:
            yield Source(str(path), problem="文件是空的（0 字节），请重新下载")
            return
        if size > MAX_FILE_BYTES and not zipfile.is_zipfile(path):
            yield Source(str(path), problem=f"文件过大（{size / 1024 / 1024:.0f} MB），不是系统下载的空白表")
            return
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"PK"):
            yield from _zip(path)
            return
        data = path.read_bytes()
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        yield Source(str(path), problem=f"文件无法读取：{os_cause(exc)}")
        return
    yield Source(str(path), data)


def _zip(path: Path) -> Iterator[Source]:
    label = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Source(label, problem="压缩包已损坏或不完整（可能下载中断），请重新下载")
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS:
            yield Source(label, problem=f"压缩包中的文件太多（{len(infos)} 个，上限 {MAX_ZIP_MEMBERS} 个），请分开导入")
            return
        budget = MAX_ZIP_BYTES
        if not any(PurePosixPath(i.filename.replace("\\", "/")).suffix.lower() in PDF_SUFFIXES for i in infos):
            yield Source(label, problem="压缩包中没有 PDF 文件（从系统下载的空白表是 PDF）")
            return
        for info in infos:
            name = f"{label}/{info.filename}"
            member = PurePosixPath(info.filename.replace("\\", "/"))
            if member.is_absolute() or ".." in member.parts or ":" in info.filename:
                yield Source(name, problem="压缩包中的文件路径不安全（指向压缩包以外），未读取")
                continue
            if member.suffix.lower() not in PDF_SUFFIXES:
                continue  # a readme or a thumbnail beside the downloads
            if info.flag_bits & 0x1:
                yield Source(name, problem="压缩包中的文件已加密，请解压后导入 PDF")
                continue
            inflated = info.file_size
            if (
                inflated > MAX_FILE_BYTES
                or inflated > budget
                or (inflated > 1024 * 1024 and inflated > MAX_ZIP_RATIO * max(1, info.compress_size))
            ):
                yield Source(name, problem="压缩包中的文件解压后大得离谱（可能是恶意压缩包），未读取")
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(min(budget, MAX_FILE_BYTES) + 1)  # the header's size may lie
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
                log.info("zip member %s unreadable: %s", name, exc)
                yield Source(name, problem="压缩包中的这个文件已损坏，请重新下载")
                continue
            if len(data) > min(budget, MAX_FILE_BYTES):
                yield Source(name, problem="压缩包中的文件解压后大得离谱（可能是恶意压缩包），未读取")
                continue
            budget -= len(data)
            yield Source(name, data)


def read_pages(
    paths: list[Path], progress: Progress = no_progress, token: CancelToken | None = None
) -> list[BlankPage]:
    """Every page of every downloaded PDF, read; a file that cannot be read is one page with its ``problem``."""
    out: list[BlankPage] = []
    found = list(sources(paths, token))
    for n, source in enumerate(found, start=1):
        if token is not None:
            token.check()
        progress(n - 1, len(found), source.file_name)
        out += _read_source(source, token)
    progress(len(found), len(found), "")
    return out


def _read_source(source: Source, token: CancelToken | None) -> list[BlankPage]:
    if source.data is None:
        return [BlankPage(source, 1, problem=source.problem)]
    if b"%PDF-" not in source.data[:1024]:
        return [BlankPage(source, 1, problem="不是 PDF 文件；从系统下载的空白表是 PDF")]
    try:
        doc = pdfium.PdfDocument(source.data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            return [BlankPage(source, 1, problem="PDF 文件已加密，需要密码才能打开；请重新从系统下载")]
        return [BlankPage(source, 1, problem="PDF 文件已损坏或不完整（可能下载中断），请重新下载")]
    try:
        count = len(doc)
        if count == 0:
            return [BlankPage(source, 1, problem="PDF 文件中没有页面，请重新下载")]
        if count > MAX_PAGES:
            return [
                BlankPage(
                    source, 1, problem=f"PDF 有 {count} 页（上限 {MAX_PAGES} 页），不像系统下载的空白表；请分开导入"
                )
            ]
        pages = []
        for i in range(count):
            if token is not None:
                token.check()
            try:
                pages.append(_read_page(source, doc, i))
            except (pdfium.PdfiumError, OSError, ValueError) as exc:
                log.warning("page %d of %s unreadable: %s", i + 1, source.name, exc)
                pages.append(BlankPage(source, i + 1, problem="这一页无法读取（页面内容已损坏），请重新下载"))
        return pages
    finally:
        doc.close()


def _read_page(source: Source, doc: pdfium.PdfDocument, index: int) -> BlankPage:
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        scanned = is_scanned_page(page)
        image = render(page)
    finally:
        page.close()
    number = index + 1
    gray = image.convert("L")
    codes = read_strict(gray) or read_lenient(gray)
    texts = list(dict.fromkeys(c.text for c in codes))
    if scanned and not repair.is_blank(gray):
        return BlankPage(source, number, text=text, problem=(
            "这一页是一整页扫描或拍照的图片，不是从系统下载的空白表；"
            "扫描件请作为扫描件检查或分拣，不要作为空白表导入"))  # fmt: skip
    if not texts:
        return BlankPage(source, number, text=text, problem="页面上没有二维码，不是从系统下载的单位审核意见表或考核表")
    if len(texts) > 1:
        return BlankPage(
            source, number, text=text, problem=f"同一页上有 {len(texts)} 个不同的二维码，无法确定哪个是系统的"
        )
    code = texts[0]
    if code.startswith(OUR_PREFIX):
        return BlankPage(source, number, code=code, text=text, problem=(
            "这是本程序生成的表格，不是从系统下载的空白表；本程序的表格不用导入"))  # fmt: skip
    return BlankPage(source, number, code=code, text=text, pdf=single_page(doc, index))


def render(page: pdfium.PdfPage, dpi: float = READ_DPI) -> Image.Image:
    """The page as an RGB image at ``dpi``."""
    bitmap = page.render(scale=dpi / 72, may_draw_forms=False)
    try:
        im = bitmap.to_pil()
        return im if im.mode == "RGB" else im.convert("RGB")
    finally:
        bitmap.close()


def single_page(doc: pdfium.PdfDocument, index: int) -> bytes:
    """Page ``index`` of ``doc`` alone, as a PDF of its own (pypdfium2 copies what the page uses)."""
    single = pdfium.PdfDocument.new()
    try:
        single.import_pages(doc, [index])
        buffer = io.BytesIO()
        single.save(buffer)
        return buffer.getvalue()
    finally:
        single.close()


def render_pdf(pdf: bytes, dpi: float = READ_DPI) -> Image.Image:
    """The first page of a kept blank's PDF, rendered (what a scan of it is compared with)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        try:
            return render(page, dpi)
        finally:
            page.close()
    finally:
        doc.close()


#: The quick look at a dropped PDF renders its first page this coarsely: a vector code still reads.
SNIFF_DPI = 110


def looks_like_download(path: Path) -> bool:
    """Whether a dropped file is a download from the portal rather than a scan.

    A ZIP is downloads. A PDF is one when its first page is drawn (not one big
    photographed image) and carries a QR code that is not ours; a scan, one of our own
    forms or a 公示证明 exported from a word processor is not.
    """
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        return True
    if suffix not in PDF_SUFFIXES:
        return False
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return False
        doc = pdfium.PdfDocument(path)
    except (OSError, pdfium.PdfiumError):
        return False  # the self-check says what is wrong with it
    try:
        if len(doc) == 0 or len(doc) > MAX_PAGES:
            return False
        page = doc[0]
        try:
            if is_scanned_page(page):
                return False
            gray = render(page, SNIFF_DPI).convert("L")
        finally:
            page.close()
    except (pdfium.PdfiumError, OSError, ValueError):
        return False
    finally:
        doc.close()
    codes = read_strict(gray) or read_lenient(gray)
    return any(not c.text.startswith(OUR_PREFIX) for c in codes)
