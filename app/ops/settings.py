"""设置: the unit and the declared settings saved together, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.errors import ZcwsError
from app.ops import units as unit_ops
from app.store import Store


class UnitNotSaved(ZcwsError):
    """The unit's fields were refused; nothing of the settings was written either."""


@dataclass(frozen=True)
class SettingsSaved:
    """What 保存 changed: the unit (None when its fields were left as they were) and the settings' keys."""

    unit: unit_ops.SaveResult | None
    changed: tuple[str, ...]


def save_settings(
    store: Store, values: Mapping[str, Any], unit_fields: Mapping[str, str] | None = None
) -> SettingsSaved:
    """Store ``values`` (declared settings' keys) and, when given, the unit's fields in one transaction.

    A refused unit raises :class:`UnitNotSaved` with the field's message, a refused setting
    the setting's own error; either way nothing is written.
    """
    with store.transaction():
        unit = None
        if unit_fields is not None:
            try:
                unit = unit_ops.save_unit(store, unit_ops.unit_from_fields(unit_fields))
            except ZcwsError as exc:
                raise UnitNotSaved(exc.message, exc.fix) from exc
        changed = []
        for key, value in values.items():
            if store.get_setting(key) != value:
                store.set_setting(key, value)
                changed.append(key)
    return SettingsSaved(unit, tuple(changed))
