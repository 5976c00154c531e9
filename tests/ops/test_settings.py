"""设置 saved through app.ops.settings: the unit and the settings together, all or nothing."""

from __future__ import annotations

import pytest

from app.core.errors import ZcwsError
from app.core.ids import credit_check_char, id_check_char
from app.ops.settings import UnitNotSaved, save_settings
from app.ops.units import get_unit
from app.store import Store

CREDIT17 = "91420281MA4ABCDE1"
PERSON17 = "42028119850312001"
UNIT = {
    "name": "大冶市某某机械有限公司",
    "credit_code": CREDIT17 + credit_check_char(CREDIT17),
    "kind": "private",
    "region": "大冶市",
    "parent": "",
    "manager_name": "李某",
    "manager_id_number": PERSON17 + id_check_char(PERSON17),
    "manager_phone": "0714-8722222",
}


def test_settings_and_unit_are_saved_and_the_changed_keys_told(store: Store) -> None:
    saved = save_settings(store, {"urgency.urgent_days": 10, "urgency.critical_days": 3}, UNIT)
    assert saved.changed == ("urgency.urgent_days",)  # 3 was the default already
    assert saved.unit is not None and get_unit(store).name == UNIT["name"]
    assert store.get_setting("urgency.urgent_days") == 10


def test_a_refused_unit_writes_no_setting(store: Store) -> None:
    with pytest.raises(UnitNotSaved, match="管理人员证件号码校验位错误"):
        save_settings(store, {"urgency.urgent_days": 10}, {**UNIT, "manager_id_number": "420281198503120010"})
    assert store.get_setting("urgency.urgent_days") == 7
    assert get_unit(store) is None


def test_a_refused_setting_writes_no_unit(store: Store) -> None:
    with pytest.raises(ZcwsError) as caught:
        save_settings(store, {"urgency.urgent_days": 10, "urgency.critical_days": "很多"}, UNIT)
    assert not isinstance(caught.value, UnitNotSaved)
    assert get_unit(store) is None
    assert store.get_setting("urgency.urgent_days") == 7
