"""文件 menu: 导入办件 (previewed, every bad row named), 备份, 恢复."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.ids import mask_id
from app.store import Store
from app.ui.i18n import _
from app.ui.models.table import TextTableModel
from app.ui.widgets import MessageBar, fitted_table
from app.ui.workers import Changes, Op, announce, error_text, message, show_error

IMPORT_HEADERS = ("行", "姓名", "证件号码", "评审计划", "系列", "专业", "职务")
BAD_HEADERS = ("行", "姓名", "证件号码", "原因")


class ImportDialog(QDialog):
    """What an import would write and what it would not, before anything is written.

    The 评审计划 chooser applies one plan to every row (the CLI's ``--plan``); left on
    自动, a row's 评审计划 column or the only open plan of its 系列 decides.
    """

    def __init__(self, store: Store, preview: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.preview = preview
        self.added = 0
        self.setWindowTitle(_("导入办件 — 预览"))
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(_("评审计划："), self))
        self.plan = QComboBox(self)
        self.plan.addItem(_("自动（按表中的“评审计划”列，或系列唯一对应的未结束计划）"), None)
        for plan in store.plans():
            self.plan.addItem(f"{plan.title}（{plan.series}，编号 {plan.id}）", plan.id)
        self.plan.currentIndexChanged.connect(self._plan_changed)
        chooser.addWidget(self.plan, 1)
        layout.addLayout(chooser)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show(preview)

    def _show(self, preview: Any) -> None:
        self.preview = preview
        missing = (
            _("其中 {m} 人未填申报职务（系统的名单没有这一列，可以先导入）；").format(m=preview.without_position)
            if preview.without_position
            else ""
        )
        self.intro.setText(
            _("{file}：将导入 {n} 人；{missing}有问题的行 {bad} 行；已存在、跳过 {skip} 行。确认后才会写入。").format(
                file=Path(preview.path).name,
                n=len(preview.rows),
                missing=missing,
                bad=len(preview.bad_rows),
                skip=len(preview.skipped),
            )
        )
        rows = [
            [r.row, r.name, mask_id(r.id_number), r.plan_title, r.series, r.specialty, r.position] for r in preview.rows
        ]
        bad = [[i.row, i.name, mask_id(i.id_number) if i.id_number else "", i.reason] for i in preview.bad_rows]
        skipped = [[i.row, i.name, mask_id(i.id_number) if i.id_number else "", i.reason] for i in preview.skipped]
        current = self.tabs.currentIndex()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        for key, title, headers, data in (
            ("import/rows", _("将导入（{n}）").format(n=len(rows)), IMPORT_HEADERS, rows),
            ("import/bad", _("有问题的行（{n}）").format(n=len(bad)), BAD_HEADERS, bad),
            ("import/skipped", _("已存在，跳过（{n}）").format(n=len(skipped)), BAD_HEADERS, skipped),
        ):
            page = QWidget(self.tabs)
            v = QVBoxLayout(page)
            v.addWidget(fitted_table(TextTableModel(headers, data, page), page, key))
            v.addStretch(1)
            self.tabs.addTab(page, title)
        if bad and not rows:
            self.tabs.setCurrentIndex(1)
        elif current >= 0:
            self.tabs.setCurrentIndex(0 if rows else current)
        self.import_button.setText(_("导入 {n} 人").format(n=len(rows)))
        self.import_button.setEnabled(bool(rows))

    def _plan_changed(self) -> None:
        from app.core.errors import ZcwsError
        from app.ops.data import preview_import

        try:
            preview = preview_import(self.store, Path(self.preview.path), self.plan.currentData())
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        self.message.dismiss()
        self._show(preview)

    def apply(self) -> None:
        from app.core.errors import ZcwsError
        from app.ops.data import apply_import

        try:
            self.added = apply_import(self.store, self.preview)
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        announce(Changes(all_cases=True))
        self.accept()

    @classmethod
    def start(cls, store: Store, parent: QWidget, path: Path | None = None) -> ImportDialog | None:
        from app.core.errors import ZcwsError
        from app.ops.data import preview_import

        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                parent, _("选择要导入的表格"), str(Path.home()), _("表格 (*.xlsx *.xls *.csv);;所有文件 (*)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            preview = preview_import(store, path)
        except ZcwsError as exc:
            show_error(parent, exc)
            return None
        dialog = cls(store, preview, parent)
        dialog.finished.connect(
            lambda code: (
                code
                and message(
                    parent, QMessageBox.Icon.Information, _("导入办件"), _("已导入 {n} 人").format(n=dialog.added)
                )
            )
        )
        dialog.open()
        return dialog


def backup(store: Store, parent: QWidget, file: Path | None = None) -> Op | None:
    from datetime import datetime

    from app.ops.data import backup as do_backup

    if file is None:
        suggested = Path.home() / f"职称网审助手备份-{datetime.now():%Y%m%d-%H%M}.zip"
        chosen, _filter = QFileDialog.getSaveFileName(parent, _("备份到"), str(suggested), _("备份文件 (*.zip)"))
        if not chosen:
            return None
        file = Path(chosen)

    def done(path: Path) -> None:
        message(parent, QMessageBox.Icon.Information, _("备份"), _("已备份到：{path}").format(path=path))

    return (
        Op(parent, lambda s, progress, token: do_backup(s, file, progress=progress), store_path=store.path)
        .with_progress(_("正在备份…"))
        .success(done)
        .run()
    )


def restore(window: Any, file: Path | None = None) -> Op | None:
    """Replace the store with a backup; the window reopens it when done (or on failure)."""
    from app.ops.data import restore as do_restore

    if file is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            window, _("选择备份文件"), str(Path.home()), _("备份文件 (*.zip)")
        )
        if not chosen:
            return None
        file = Path(chosen)
        answer = QMessageBox.question(
            window,
            _("恢复"),
            _("用备份“{name}”替换当前的全部办件和附件？当前数据会先自动备份。").format(name=file.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    from app.core.errors import ZcwsError
    from app.ops.data import auto_backup

    try:
        auto_backup(window.store)
    except ZcwsError as exc:
        show_error(window, exc)
        return None
    path = window.store.path
    window.store.close()

    def done(_result: Any) -> None:
        window.reopen_store()
        window.statusBar().showMessage(_("已从备份恢复：{name}").format(name=file.name), 8000)

    def failed(exc: BaseException) -> None:
        window.reopen_store()
        show_error(window, exc)

    return (
        Op(window, lambda progress, token: do_restore(path, file, progress=progress, token=token))
        .with_progress(_("正在恢复…"))
        .success(done)
        .failure(failed)
        .run()
    )


__all__ = ["ImportDialog", "backup", "error_text", "restore"]
