from dataclasses import replace
from datetime import date

import pytest

from app.core.errors import ZcwsError
from app.core.ids import credit_check_char, id_check_char
from app.core.units import (
    CITY_AUTHORITY,
    COUNTIES,
    DISTRICTS,
    REGIONS,
    Manager,
    Unit,
    UnitKind,
    account_creator,
    is_phone,
    validate_unit,
)

TODAY = date(2024, 6, 1)
MANAGER_ID = "42020219850315001" + id_check_char("42020219850315001")
CREDIT_CODE = "91420200MA4ABCDE1" + credit_check_char("91420200MA4ABCDE1")


def make_unit(**changes: object) -> Unit:
    unit = Unit(
        name="黄石市某某科技有限公司",
        credit_code=CREDIT_CODE,
        kind=UnitKind.private,
        region="黄石港区",
        manager=Manager(name="张三", id_number=MANAGER_ID, phone="13907140000"),
    )
    return replace(unit, **changes)


def with_manager(**changes: object) -> Unit:
    unit = make_unit()
    return replace(unit, manager=replace(unit.manager, **changes))


# --- UnitKind -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (UnitKind.county_hr, "县市区人社职改部门"),
        (UnitKind.city_department, "市直行业主管部门"),
        (UnitKind.city_owned, "市直属企事业单位"),
        (UnitKind.private, "非公企业"),
        (UnitKind.county_unit, "县市区属单位"),
    ],
)
def test_kind_labels_and_parse(kind: UnitKind, label: str) -> None:
    assert kind.label == label
    assert UnitKind.parse(label) is kind
    assert UnitKind.parse(kind.value) is kind
    assert UnitKind.parse(f" {label} ") is kind
    assert str(kind) == kind.value


def test_parse_unknown_kind() -> None:
    with pytest.raises(ZcwsError) as caught:
        UnitKind.parse("民营企业")
    assert "民营企业" in caught.value.message
    assert "非公企业" in caught.value.fix


def test_regions() -> None:
    assert REGIONS == (
        "黄石港区",
        "西塞山区",
        "下陆区",
        "铁山区",
        "黄石经济技术开发区",
        "大冶市",
        "阳新县",
    )
    assert REGIONS[:5] == DISTRICTS
    assert COUNTIES == ("大冶市", "阳新县")


# --- account_creator ------------------------------------------------------------


@pytest.mark.parametrize("kind", [UnitKind.county_hr, UnitKind.city_department, UnitKind.city_owned])
@pytest.mark.parametrize("region", REGIONS)
def test_city_creates_hr_offices_departments_and_city_owned(kind: UnitKind, region: str) -> None:
    authority = account_creator(kind, region)
    assert authority.name == CITY_AUTHORITY == "黄石市人社局职改部门"
    assert authority.level == "city"
    assert "市人社职改部门负责各县（市、区）人社职改、市直行业主管部门、市直属企事业单位" in authority.reason
    assert kind.label in authority.reason


@pytest.mark.parametrize(("region", "name"), [("大冶市", "大冶市人社局职改部门"), ("阳新县", "阳新县人社局职改部门")])
def test_private_in_county_applies_locally(region: str, name: str) -> None:
    authority = account_creator(UnitKind.private, region)
    assert authority.name == name
    assert authority.level == "county"
    assert authority.reason == f"注册地址在{region}的非公企业向当地人社职改部门申请"


@pytest.mark.parametrize("region", DISTRICTS)
def test_private_in_district_is_created_by_city(region: str) -> None:
    authority = account_creator(UnitKind.private, region)
    assert authority.name == CITY_AUTHORITY
    assert authority.level == "city"
    assert "暂由市人社职改部门直接创建" in authority.reason
    assert region in authority.reason


@pytest.mark.parametrize("region", ["黄石港区", "西塞山区", "下陆区", "铁山区", "大冶市", "阳新县"])
def test_county_unit_is_created_by_its_own_area(region: str) -> None:
    authority = account_creator(UnitKind.county_unit, region)
    assert authority.name == f"{region}人社局职改部门"
    assert authority.level == "county"
    assert "各县（市、区）参照市级权限负责辖区内账号创建工作" in authority.reason
    assert region in authority.reason


def test_county_unit_in_development_zone_is_created_by_city() -> None:
    authority = account_creator(UnitKind.county_unit, "黄石经济技术开发区")
    assert authority.name == CITY_AUTHORITY
    assert authority.level == "city"
    assert "黄石经济技术开发区不属于县（市、区）" in authority.reason


@pytest.mark.parametrize("kind", list(UnitKind))
def test_unknown_region_is_refused(kind: UnitKind) -> None:
    with pytest.raises(ZcwsError) as caught:
        account_creator(kind, "武汉市")
    assert "武汉市" in caught.value.message
    assert "阳新县" in caught.value.fix


# --- validate_unit --------------------------------------------------------------


def test_valid_unit_has_no_warnings() -> None:
    assert validate_unit(make_unit(), TODAY) == []


def test_credit_code_check_char_only_warns() -> None:
    assert validate_unit(make_unit(credit_code="91350211M00013FA1N"), TODAY) == [
        "统一社会信用代码校验位不符（应为3），部分早期代码存在此情况，请核对营业执照"
    ]


@pytest.mark.parametrize(
    ("unit", "fragment"),
    [
        (make_unit(name="  "), "单位名称不能为空"),
        (make_unit(credit_code="91420200MA4ABCDEI0"), "第17位“I”"),
        (make_unit(credit_code="9142020"), "应为18位"),
        (make_unit(region="武汉市"), "未知的注册地区"),
        (make_unit(parent="黄石市某某科技有限公司"), "上级单位不能是本单位"),
        (with_manager(name=""), "管理人员姓名不能为空"),
        (with_manager(id_number=MANAGER_ID[:17] + "9"), "管理人员证件号码校验位错误"),
        (with_manager(id_number="420202850315001"), "15位"),
        (with_manager(phone="1390714000"), "联系电话“1390714000”无效"),
        (with_manager(phone="23907140000"), "联系电话"),
        (with_manager(phone="6222222"), "联系电话"),
    ],
)
def test_blocking_problems(unit: Unit, fragment: str) -> None:
    with pytest.raises(ZcwsError) as caught:
        validate_unit(unit, TODAY)
    assert fragment in caught.value.message
    assert caught.value.fix


def test_all_blocking_problems_are_listed_together() -> None:
    unit = replace(with_manager(phone="x", name=""), name="", credit_code="")
    with pytest.raises(ZcwsError) as caught:
        validate_unit(unit, TODAY)
    message = caught.value.message
    for fragment in (
        "单位名称不能为空",
        "统一社会信用代码不能为空",
        "管理人员姓名不能为空",
        "联系电话",
    ):
        assert fragment in message


def test_parent_unit_is_allowed() -> None:
    assert validate_unit(make_unit(kind=UnitKind.county_unit, parent="大冶市教育局"), TODAY) == []


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13907140000", True),
        (" 18671400000 ", True),
        ("0714-6222222", True),
        ("07146222222", True),
        ("027-87654321", True),
        ("1390714000", False),
        ("139071400000", False),
        ("23907140000", False),
        ("0714-62222", False),
        ("714-6222222", False),
        ("", False),
    ],
)
def test_is_phone(phone: str, ok: bool) -> None:
    assert is_phone(phone) is ok
