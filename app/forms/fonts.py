"""The Chinese font of our forms, and its per-batch cut-down copy.

Shipped: ``resources/fonts/ZcwsSerifSC-Regular.otf``, the Simplified Chinese face of
Noto Serif CJK (OFL 1.1, see ``OFL.txt`` beside it) reduced to the characters of GBK:
all of GB 2312 and every CJK Unified Ideograph of the basic block, which holds the
rarer characters of people's names (堃, 喆, 赟, 玥, 珺, 昇 …) that GB 2312 lacks.
A serif (宋体-like) face, because that is what official Chinese forms are set in.

Why a second, per-batch copy: fpdf2 subsets the font of a document in place when the
document is written, and subsetting CFF outlines means running every charstring
(60–100 ms per PDF). So a batch first cuts the shipped font down to the characters it
will print (a few hundred) and converts those outlines to TrueType quadratics; each
PDF then loads that small file in ~2 ms and subsets it in ~10 ms.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

from app.resources import resource_path

log = logging.getLogger(__name__)

FONT_FILE = "ZcwsSerifSC-Regular.otf"
LICENCE_FILE = "OFL.txt"
FAMILY = "ZcwsSerif"
FAMILY_NAME = "ZCWS Serif SC"

# Printable ASCII and the punctuation our own labels use are always in a batch font.
BASE_TEXT = "".join(chr(c) for c in range(0x20, 0x7F)) + "　（）：；，。、《》“”—·□√×＿"


def shipped_font_path() -> Path:
    return resource_path("fonts", FONT_FILE)


def _gbk_codepoints() -> list[int]:
    out = []
    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        try:
            chr(cp).encode("gbk")
        except UnicodeEncodeError:
            continue
        out.append(cp)
    return out


def build_shipped_font(collection: Path, target: Path, face: int = 2) -> None:
    """Make the shipped font from a Noto Serif CJK collection (face 2 is SC).

    ``python -c "from app.forms.fonts import *; build_shipped_font(Path('/usr/share/fonts/
    opentype/noto/NotoSerifCJK-Regular.ttc'), shipped_font_path())"`` rebuilds it.
    """
    font = TTFont(collection, fontNumber=face)
    cmap = font.getBestCmap()
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for cp in _gbk_codepoints() if cp in cmap])
    subsetter.subset(font)
    # A modified version: name it for what it is (OFL 1.1, condition 3, and the Noto trademark).
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName(FAMILY_NAME, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6):
            names.setName("ZcwsSerifSC-Regular", record.nameID, record.platformID, record.platEncID, record.langID)
    names.setName(
        "Derived from Noto Serif CJK SC 2.001: cut down to the characters of GBK for 职称网审助手.", 10, 3, 1, 0x409
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


class BatchFont:
    """The shipped font cut down to the characters of one batch, as a small TrueType file.

    Load it once per batch with every text the batch will print (labels and case data),
    then give :attr:`path` to each fpdf2 document. Characters the shipped font lacks
    (an extension-B name character, say) are logged and print as an empty box.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        wanted = set(BASE_TEXT)
        for text in texts:
            wanted.update(text)
        wanted.discard("\n")
        self._dir = Path(tempfile.mkdtemp(prefix="zcws-font-"))
        self.path = self._dir / "batch.ttf"
        font = TTFont(shipped_font_path())
        available = font.getBestCmap()
        self.missing = frozenset(c for c in wanted if ord(c) not in available and c.isprintable())
        if self.missing:
            log.warning("the form font has no glyph for %s", "".join(sorted(self.missing)))
        self.chars = frozenset(c for c in wanted if ord(c) in available)
        options = subset.Options()
        options.layout_features = []
        options.notdef_outline = True
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in self.chars])
        subsetter.subset(font)
        _to_truetype(font)
        font.save(self.path)

    def covers(self, text: str) -> bool:
        """Whether every character of ``text`` that the shipped font has is in this batch."""
        return all(c in self.chars or c in self.missing or c == "\n" for c in text)

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> BatchFont:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines of ``font`` by TrueType ones, in place.

    fpdf2 must recompute the bounds of every CFF glyph by running its charstring when
    it writes a document; quadratic ``glyf`` outlines are read as plain coordinates.
    """
    glyphs = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # 1 unit of 1000 per em is far below what a printer shows.
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"
