"""使用说明: the user guide shipped in docs/guide, rendered here from its Markdown, offline.

Built when first asked for (帮助 → 使用说明, F1), never at launch.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE
from app.resources import guide_path
from app.ui.i18n import _

CONTENTS = "index.md"
START = "01-start.md"
QUEUE = "04-queue.md"
REVIEW = "05-review.md"
DISPATCH = "09-dispatch.md"
FAQ = "12-faq.md"

IMAGE_WIDTH = 760  # a screenshot wider than this is shown at this width (it is 1440 pixels)


def chapters() -> list[tuple[str, str]]:
    """(file name, title) of every chapter, the contents first, the rest in their numbered order."""
    files = sorted(guide_path().glob("*.md"), key=lambda p: (p.name != CONTENTS, p.name))
    return [(p.name, _title(p)) for p in files]


def _title(path: Path) -> str:
    with path.open(encoding="utf-8") as f:
        return f.readline().lstrip("#").strip() or path.stem


class GuideBrowser(QTextBrowser):
    """A chapter's Markdown, its links followed inside the guide and its screenshots fitted."""

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        if kind == QTextDocument.ResourceType.ImageResource:
            image = QImage(self.source().resolved(QUrl(url)).toLocalFile())
            if image.width() > IMAGE_WIDTH:
                return image.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
            return image
        return super().loadResource(kind, url)


class GuideWindow(QWidget):
    """The guide in a window of its own: the chapters on the left, the chapter on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(_("使用说明 — {title}").format(title=APP_TITLE))
        self.resize(1100, 760)
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.back_button = QPushButton(_("后退"), self)
        self.back_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back_button.setToolTip(_("后退（Alt+←）"))
        self.forward_button = QPushButton(_("前进"), self)
        self.forward_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.forward_button.setToolTip(_("前进（Alt+→）"))
        self.contents_button = QPushButton(_("目录"), self)
        for b in (self.back_button, self.forward_button, self.contents_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)

        splitter = QSplitter(self)
        self.chapter_list = QListWidget(splitter)
        for name, title in chapters():
            item = QListWidgetItem(title, self.chapter_list)
            item.setData(Qt.ItemDataRole.UserRole, name)
        self.browser = GuideBrowser(splitter)
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)  # the guide links only to itself: offline
        splitter.addWidget(self.chapter_list)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 860])
        layout.addWidget(splitter, 1)

        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.contents_button.clicked.connect(lambda: self.open_chapter(CONTENTS))
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.browser.sourceChanged.connect(self._source_changed)
        self.chapter_list.currentItemChanged.connect(self._chapter_chosen)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)

    def open_chapter(self, name: str) -> None:
        """Show the chapter ``name`` (a file of docs/guide) and bring the window to the front."""
        url = QUrl.fromLocalFile(str(guide_path(name)))
        if self.browser.source() != url:
            self.browser.setSource(url, QTextDocument.ResourceType.MarkdownResource)
        self.show()
        self.raise_()
        self.activateWindow()

    def chapter(self) -> str:
        """The file name of the chapter shown."""
        return Path(self.browser.source().toLocalFile()).name

    def _source_changed(self, url: QUrl) -> None:
        name = Path(url.toLocalFile()).name
        for row in range(self.chapter_list.count()):
            item = self.chapter_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.chapter_list.blockSignals(True)
                self.chapter_list.setCurrentItem(item)
                self.chapter_list.blockSignals(False)
                break

    def _chapter_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.open_chapter(item.data(Qt.ItemDataRole.UserRole))
