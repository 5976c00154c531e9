"""The pre-upload self-check: pages in, codes read strictly, verdicts, repairs and sorting."""

from app.scan.verdicts import PageResult, Verdict

__all__ = ["PageResult", "Verdict"]
