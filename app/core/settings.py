"""Settings declared once: key, type, default and the Chinese label.

The store keeps the officer's values; the settings dialog is generated from
:data:`SETTINGS`; everything else asks :func:`coerce` for a typed value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.errors import UsageError


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: object
    label: str
    minimum: float | None = None
    maximum: float | None = None
    #: several lines of text (edited in a text box, not a line)
    multiline: bool = False
    #: raises :class:`UsageError` for a value of the right type that still makes no sense
    check: Callable[[object], object] | None = None


def _entered_calendar(value: object) -> object:
    from app.core.workdays import parse_arrangements  # chinese-calendar: only when this setting is used

    return parse_arrangements(str(value))


SETTINGS: tuple[Setting, ...] = (
    Setting("urgency.urgent_days", int, 7, "剩余天数不超过此值时为“加急”", 1, 365),
    Setting("urgency.critical_days", int, 3, "剩余天数不超过此值时为“紧急”", 0, 365),
    Setting("upload.max_bytes", int, 5 * 1024 * 1024, "上传图片的最大字节数", 100_000, 50_000_000),
    Setting("upload.max_side", int, 4000, "上传图片的最长边（像素）", 800, 20000),
    Setting("upload.jpeg_quality", int, 90, "上传图片的 JPEG 质量", 50, 100),
    Setting("scan.max_pixels", int, 120_000_000, "可读取图片的最大像素数", 1_000_000, 1_000_000_000),
    Setting("scan.max_file_bytes", int, 300 * 1024 * 1024, "可读取文件的最大字节数", 1_000_000, 4_000_000_000),
    Setting("reviewer.name", str, "单位职改专员", "审核人姓名（记入审核进度）"),
    Setting(
        "calendar.entered", str, "", "程序尚未收录的年份的放假和调休上班安排", multiline=True, check=_entered_calendar
    ),
)

_BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise UsageError(f"没有名为“{key}”的设置") from None


def coerce(key: str, raw: object) -> object:
    """Turn a stored or typed value into the setting's type, checking its range."""
    spec = setting(key)
    if raw is None:
        return spec.default
    try:
        value = spec.type(raw)
    except (TypeError, ValueError):
        raise UsageError(f"设置“{spec.label}”的值“{raw}”无效") from None
    if spec.check is not None:
        spec.check(value)  # e.g. a calendar line it cannot read is named now, not at the next publicity
    if isinstance(value, int | float):
        if spec.minimum is not None and value < spec.minimum:
            raise UsageError(f"设置“{spec.label}”不能小于 {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            raise UsageError(f"设置“{spec.label}”不能大于 {spec.maximum}")
    return value


def defaults() -> dict[str, object]:
    return {s.key: s.default for s in SETTINGS}
