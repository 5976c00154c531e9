"""The verdict of the pre-upload self-check: one per page, with a Chinese message and fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.payload import FormKind
from app.core.steps import Next
from app.core.verdicts import Verdict

__all__ = ["PageResult", "Verdict"]


Point = tuple[float, float]


@dataclass(frozen=True)
class PageResult:
    """What the self-check says about one page of one file.

    ``verdict`` is ``not_image`` for a PDF page; ``converted_verdict`` then says how
    the image made from it fares, and :attr:`final` is the one that counts.
    ``upload_path`` is the image that passed the strict read exactly as written
    (``None`` when none did). ``qr_box`` holds the code's four corners in the page
    image (``converted_path`` for a PDF, else the file), of size ``image_size``.
    """

    file: Path
    page: int
    verdict: Verdict
    message: str
    fix: str = ""
    #: the step that fixes it, which each face words (a button in the window, a command on the command line)
    next: Next | None = None
    case_id: int | None = None
    form: FormKind | None = None
    revision: int | None = None
    upload_path: Path | None = None
    converted_verdict: Verdict | None = None
    converted_path: Path | None = None
    qr_box: tuple[Point, ...] | None = None
    image_size: tuple[int, int] | None = None
    is_pdf: bool = False
    #: an upload-format image of the page even when no code passed (for a 公示证明 without code)
    image_path: Path | None = None
    #: the page holds next to nothing (no code, almost no ink)
    blank: bool = False
    #: the portal blank (brought in) whose code the page carries, when it is one
    blank_id: int | None = None
    #: a 盖章页 signed and stamped (True), not (False), or cannot tell / not a 盖章页 (None)
    stamped: bool | None = None
    #: when ``stamped`` is False, what is missing, to follow the form's name ("未见单位公章")
    stamp_note: str = ""
    #: the areas the 盖章页 check looked at, four corners each in the page image's pixels
    stamp_areas: tuple[tuple[Point, ...], ...] = ()

    @property
    def final(self) -> Verdict:
        """The verdict of what would be uploaded: ``converted_verdict`` for a PDF page."""
        if self.verdict is Verdict.NOT_IMAGE and self.converted_verdict is not None:
            return self.converted_verdict
        return self.verdict

    @property
    def ok(self) -> bool:
        return self.final is Verdict.OK

    @property
    def repaired(self) -> bool:
        """Whether the upload-ready image is our repair rather than the page as it came."""
        return self.upload_path is not None and self.upload_path not in (self.file, self.converted_path)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": str(self.file),
            "page": self.page,
            "verdict": self.verdict.value,
            "case_id": self.case_id,
            "form": self.form,
            "revision": self.revision,
            "message": self.message,
            "fix": self.fix,
            "next": None if self.next is None else self.next.to_json(),
            "upload_path": None if self.upload_path is None else str(self.upload_path),
            "stamped": self.stamped,
        }
        if self.is_pdf:
            out["converted_verdict"] = None if self.converted_verdict is None else self.converted_verdict.value
            out["converted_path"] = None if self.converted_path is None else str(self.converted_path)
        return out
