"""A corpus of bad inputs, made from our own forms: empty, truncated, encrypted, wrong type, huge, odd names."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def long_stem(suffix: str, limit: int = 255) -> str:
    """A Chinese name with spaces, as long as this file system allows (255 bytes here, 255 UTF-16 units on Windows)."""
    text = "黄石市城市建设投资开发有限责任公司 单位审核意见表 盖章页 " * 10
    while len((text + suffix).encode()) > limit:
        text = text[:-1]
    return text.rstrip()


def _png_bomb() -> bytes:
    """A tiny PNG that claims 40,000 × 40,000 pixels (1.6 billion): a decompression bomb."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    w = h = 40_000
    header = struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)
    raw = zlib.compress(b"\x00" + b"\x00" * (w // 8), 9) * 1  # one row; the rest is missing
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica")
    pdf.cell(text="scan")
    pdf.set_encryption(owner_password="owner", user_password="user", encryption_method=EncryptionMethod.RC4)
    return bytes(pdf.output())


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document>单位审核意见表</document>")
    return buf.getvalue()


def _unpacks_huge(xlsx: bytes) -> bytes:
    """A good workbook with a member that unpacks to over 100 MB: a few hundred KB on disk."""
    buf = io.BytesIO(xlsx)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/image1.bin", bytes(101 * 2**20))
    return buf.getvalue()


def scan_corpus(folder: Path, form_pdf: Path, form_png: Path) -> dict[str, Path]:
    """Bad files for check/sort/attach, each named for what is wrong with it."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf, png = form_pdf.read_bytes(), form_png.read_bytes()
    made: dict[str, bytes | None] = {
        "空文件.pdf": b"",
        "空文件.png": b"",
        "截断的扫描件.pdf": pdf[: len(pdf) // 2],
        "截断的图片.png": png[: len(png) // 3],
        "只有文件头.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        "加密的扫描件.pdf": _encrypted_pdf(),
        "其实是文本.pdf": "这不是PDF，是一段文字\n".encode() * 50,
        "其实是压缩包.png": _docx(),
        "意见表.docx": _docx(),
        "随机字节.jpg": bytes(range(256)) * 400,
        "像素炸弹.png": _png_bomb(),
        "超大文件.tif": None,  # sparse, see below
    }
    out = {}
    for name, data in made.items():
        path = folder / name
        if data is None:
            with open(path, "wb") as fh:  # 400 MB of nothing, over the 300 MB limit, costing no disk
                fh.truncate(400 * 2**20)
        else:
            path.write_bytes(data)
        out[name] = path
    return out


def odd_names(folder: Path, form_pdf: Path) -> list[Path]:
    """A good form under names an officer's scanner or colleague may give it."""
    folder.mkdir(parents=True, exist_ok=True)
    stems = ["扫描件 2025-10-20 (1)", "  前后有空格的 文件 ", long_stem(".pdf"), "王 某某#%&'()+,;=@[]^`{}~"]
    out = []
    for stem in stems:
        path = folder / f"{stem}.pdf"
        path.write_bytes(form_pdf.read_bytes())
        out.append(path)
    return out


def import_corpus(folder: Path, good_xlsx: Path) -> dict[str, Path]:
    """Bad spreadsheets for import."""
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = good_xlsx.read_bytes()
    made = {
        "空文件.xlsx": b"",
        "空文件.csv": b"",
        "只有表头.csv": "序号,姓名,证件号码,系列,专业,申报职务\n".encode(),
        "缺少证件号码列.csv": "序号,姓名,系列,专业,申报职务\n1,王某,工程技术人员,水利水电,工程师\n".encode(),
        "截断的表格.xlsx": xlsx[: len(xlsx) // 2],
        "其实是图片.xlsx": b"\x89PNG\r\n\x1a\n" + bytes(200),
        "其实是文档.xlsx": _docx(),
        "乱码.csv": bytes(range(128, 256)) * 40,
        "旧格式.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "表格.txt": "姓名 证件号码\n".encode(),
        "解压后巨大.xlsx": _unpacks_huge(xlsx),
    }
    out = {}
    for name, data in made.items():
        path = folder / name
        path.write_bytes(data)
        out[name] = path
    return out


def restore_corpus(folder: Path, good_zip: Path) -> dict[str, Path]:
    """Bad backup archives for restore."""
    folder.mkdir(parents=True, exist_ok=True)
    data = good_zip.read_bytes()
    made = {"空文件.zip": b"", "截断的备份.zip": data[: len(data) // 2], "其实是文本.zip": "备份".encode() * 100}
    out = {}
    for name, content in made.items():
        out[name] = folder / name
        out[name].write_bytes(content)
    # a zip that is not ours, one whose member escapes the data folder, one with a changed member
    out["别人的压缩包.zip"] = folder / "别人的压缩包.zip"
    with zipfile.ZipFile(out["别人的压缩包.zip"], "w") as zf:
        zf.writestr("readme.txt", "hello")
    out["路径穿越.zip"] = folder / "路径穿越.zip"
    with zipfile.ZipFile(good_zip) as src, zipfile.ZipFile(out["路径穿越.zip"], "w") as zf:
        for item in src.infolist():
            zf.writestr(item, src.read(item))
        zf.writestr("../../zcws.sqlite3", b"evil")
    out["改动过的备份.zip"] = folder / "改动过的备份.zip"
    with zipfile.ZipFile(good_zip) as src, zipfile.ZipFile(out["改动过的备份.zip"], "w") as zf:
        for item in src.infolist():
            content = src.read(item)
            if item.filename.endswith(".sqlite3"):
                content = content[:-100] + bytes(100)
            zf.writestr(item, content)
    return out
