"""A small store for the publicity tests: one unit, two plans, a few passed cases."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from app.core.review import Status
from app.ops.demo import fictional_credit_code, fictional_id
from app.store import Store

UNIT = "黄石市城市建设投资开发有限责任公司"


@dataclass
class Setup:
    store: Store
    plan_id: int
    other_plan_id: int
    cases: list[int]  # 王建国, 李芳, 张伟 (passed), 赵敏 (returned)
    other_plan_case: int


@pytest.fixture
def setup(store: Store) -> Iterator[Setup]:
    rng = random.Random(10)
    store.add_unit(name=UNIT, credit_code=fictional_credit_code(), kind="市直属企事业单位", region="黄石港区",
                   manager_name="陈晓燕", manager_id_number=fictional_id(rng), manager_phone="13872000000")  # fmt: skip
    plan = store.add_plan("关于开展2025年度黄石市工程技术人员职称评审材料申报工作的通知", "工程技术人员",
                          ["水利水电", "市政工程"], date(2025, 9, 1), date(2025, 9, 1), date(2025, 12, 31))  # fmt: skip
    other = store.add_plan("关于开展2025年度黄石市卫生技术人员职称评审材料申报工作的通知", "卫生技术人员",
                           ["护理"], date(2025, 9, 1), date(2025, 9, 1), date(2025, 12, 31))  # fmt: skip
    people = [("王建国", "水利水电", Status.PASSED), ("李芳", "市政工程", Status.PASSED),
              ("张伟", "市政工程", Status.PASSED), ("赵敏", "水利水电", Status.RETURNED)]  # fmt: skip
    ids = []
    for name, specialty, status in people:
        modules = {"basic": {"姓名": name, "现工作单位": f"{UNIT}工程管理部"}}
        ids.append(store.add_case(plan, name, fictional_id(rng), "工程技术人员", specialty, "工程师", UNIT,
                                  date(2025, 9, 10), status=status, modules=modules))  # fmt: skip
    nurse = store.add_case(other, "刘洋", fictional_id(rng), "卫生技术人员", "护理", "主管护师", UNIT,
                           date(2025, 9, 10), status=Status.PASSED)  # fmt: skip
    yield Setup(store, plan, other, ids, nurse)
