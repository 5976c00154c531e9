"""One helper for user-visible strings, Qt's own Chinese, and Chinese name order.

Every string the officer reads goes through :func:`_` (zh_CN is the source
language, so it returns the text as is unless a translator is installed).
Qt's ``qtbase_zh_CN`` translator makes stock dialogs (file dialogs, message box
buttons) speak Chinese, as Picard's ``i18n/qt.py`` does.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCollator, QCoreApplication, QLibraryInfo, QLocale, QTranslator

CONTEXT = "zcws"
LOCALE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)

_translators: list[QTranslator] = []


def _(text: str) -> str:
    """The officer's text for ``text`` (Chinese source)."""
    return QCoreApplication.translate(CONTEXT, text)


def install_qt_translations(app: QCoreApplication) -> bool:
    """Install ``qtbase_zh_CN`` from PySide6's translations folder; True when loaded."""
    QLocale.setDefault(LOCALE)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(LOCALE, "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _translators.append(translator)
    return True


def collator() -> QCollator:
    c = QCollator(LOCALE)
    c.setNumericMode(True)
    return c


def name_ranks(names: Iterable[str]) -> dict[str, int]:
    """Each distinct name's position in zh_CN (pinyin) order, as an int a view can sort by."""
    c = collator()
    ordered = sorted(set(names), key=c.sortKey)
    return {name: i for i, name in enumerate(ordered)}
