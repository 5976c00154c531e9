"""Table models over plain rows, with native sort values (``SortRole``) and the row itself (``RowRole``)."""

from PySide6.QtCore import Qt

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
UrgencyRole = Qt.ItemDataRole.UserRole + 3

__all__ = ["RowRole", "SortRole", "UrgencyRole"]

from PySide6.QtCore import QModelIndex  # noqa: E402

#: The invalid parent index, as a default argument.
ROOT = QModelIndex()
