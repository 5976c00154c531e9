"""The question before 送审 or 导出: what will happen, and each warning named one by one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.i18n import _


def confirm(
    parent: QWidget, title: str, text: str, warnings: list[str], after: str, go: str, go_anyway: str,
    confirmed: Callable[[], None],
) -> QMessageBox:  # fmt: skip
    """Ask before going on (``go``; ``go_anyway`` when there are ``warnings``, then 取消 is the default);
    ``confirmed`` runs once the officer said yes. The box opens without blocking."""
    box = QMessageBox(QMessageBox.Icon.Warning if warnings else QMessageBox.Icon.Question, title, text, parent=parent)
    info = after
    if warnings:
        info = _("请注意：\n{warnings}\n\n").format(warnings="\n".join(warnings)) + info
    box.setInformativeText(info)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(go_anyway if warnings else go)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel if warnings else QMessageBox.StandardButton.Yes)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(code: int) -> None:
        if code == QMessageBox.StandardButton.Yes:
            confirmed()

    box.finished.connect(finished)
    box.open()
    return box
