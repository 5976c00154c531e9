"""The officer's next step, named but not worded: each face says it in its own terms.

A fix such as "重新生成表格" is done in the window by a button and on the command line by
``zcws forms``; a result or an error carries a :class:`Next` beside its plain fix, and
the window and the command line each add how that step is taken there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    REPRINT_FORM = "reprint_form"  # our form for the case, rendered again
    ATTACH = "attach"  # the page into this case's slot
    ASSIGN_BY_HAND = "assign_by_hand"  # a page nobody could place, to a case and slot
    IMPORT_BLANK = "import_blank"  # the portal's downloaded blank brought in
    PRINT_BLANK = "print_blank"  # the case's current portal blank printed
    CHECK_SCANS = "check_scans"  # scans checked or sorted, not imported as blanks
    SORT_FOLDER = "sort_folder"  # a whole folder sorted
    ENTER_UNIT = "enter_unit"  # the unit's details entered
    LIST_CASES = "list_cases"  # the cases' numbers looked up
    RESTORE = "restore"  # the store restored from a backup
    CONFIRM_EXPORT = "confirm_export"  # the export done anyway, confirmed


@dataclass(frozen=True)
class Next:
    """A step and what it applies to."""

    step: Step
    case_id: int | None = None
    slot: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"step": self.step.value, "case_id": self.case_id, "slot": self.slot}


def with_how(fix: str | None, how: str | None) -> str | None:
    """``fix`` followed by how the step is taken in a face, in brackets."""
    if not how:
        return fix
    if not fix:
        return how
    return f"{fix}（{how}）"
