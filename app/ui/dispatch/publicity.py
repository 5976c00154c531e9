"""公示…: the publicity of the selection (or everyone listed), in its own dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.ui.workers import Changes, announce

if TYPE_CHECKING:
    from app.ui.dispatch.tab import DispatchTab


def open_publicity(tab: DispatchTab) -> None:
    from app.ui.dialogs.publicity import PublicityDialog

    ids = tab.view.chosen_ids()
    dialog = PublicityDialog(tab.store, ids, tab)
    dialog.finished.connect(lambda _code: announce(Changes(cases=frozenset(ids), attachments=True)))
    dialog.open()
