"""The demo data set: one unit in Huangshi, plans of every urgency, cases in every state.

Deterministic for a given seed and day, so that a screenshot or a test sees
the same people. Names and ID numbers are fictional; the ID numbers carry
valid check digits and real birth dates.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.ids import credit_check_char, id_check_char
from app.core.models import Slot
from app.core.review import BASIC_FIELDS, TABLES, Module, ModuleMark, ReviewResult, Status
from app.core.units import UnitKind
from app.forms.portal import demo_code
from app.ops import opinions as opinion_ops
from app.ops.cases import resubmit_case, review_case
from app.store import Store

UNIT_NAME = "黄石市城市建设投资开发有限责任公司"
DOWNLOADS_DIR = "演示-系统下载的空白表"
#: What the portal's buttons download, as a browser names them (考核表.pdf, 考核表(1).pdf, …).
DOWNLOAD_NAMES = {Slot.APPRAISAL: "考核表", Slot.OPINION: "单位审核意见表"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞晓燕志国海波宁斌琳浩婷雪梅"
REGION_CODES = ("420202", "420203", "420204", "420205", "420222", "420281")  # 黄石各区县
OPINIONS = (
    "经审核，申报材料真实有效，同意推荐。",
    "请补充继续教育学时证明。",
    "业绩成果佐证材料不全，请补充。",
    "任职年限不满足申报条件。",
    "申报人申请撤回，终止审核。",
)
SPECIALTIES = {
    "工程技术人员": ("水利水电", "建筑工程", "市政工程", "电气工程", "机械工程"),
    "卫生技术人员": ("临床医学", "护理", "药学"),
}


def fictional_id(rng: random.Random) -> str:
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 32))
    first17 = f"{rng.choice(REGION_CODES)}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_char(first17)


def fictional_credit_code() -> str:
    first17 = "91420200" + "MA4" + "8BCDE" + "1"
    return first17 + credit_check_char(first17)


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def _modules(rng: random.Random, name: str, id_number: str, unit: str, rich: bool) -> dict[str, Any]:
    born = f"{id_number[6:10]}-{id_number[10:12]}"
    basic = dict.fromkeys(BASIC_FIELDS, "")
    basic.update({
        "姓名": name, "证件类型": "居民身份证", "证件号码": id_number, "申报类型": "正常申报",
        "性别": "男" if int(id_number[16]) % 2 else "女", "出生年月": born,
        "参加工作时间": f"{int(id_number[6:10]) + 22}-07", "政治面貌": rng.choice(("中共党员", "群众", "共青团员")),
        "民族": "汉族", "移动电话": f"13{rng.randrange(0, 10**9):09d}", "现工作单位": unit,
        "聘岗日期": f"{rng.randrange(2012, 2021)}-01", "继续教育是否达标": rng.choice(("是", "是", "否")),
        "行政职务": rng.choice(("无", "科长", "副主任")), "职业资格": rng.choice(("无", "一级建造师", "注册监理工程师")),
        "职业资格取得时间": f"{rng.randrange(2010, 2022)}-09", "外语程度": rng.choice(("英语四级", "英语六级", "无")),
    })  # fmt: skip
    start = int(id_number[6:10]) + 18
    tables: dict[str, Any] = {
        Module.STUDY.value: {
            "学历信息": [[f"{start}-09至{start + 4}-07", rng.choice(("武汉大学", "湖北理工学院", "华中科技大学")),
                      rng.choice(("土木工程", "水利水电工程", "电气工程")), "本科", "学士"]],
            "继续教育": [[str(y), str(rng.choice((72, 90, 96))), "专业科目与公需科目", "是"] for y in (2023, 2024)],
        },
        Module.WORK.value: {
            "工作经历": [[f"{start + 4}-07至今", unit, "工程技术", rng.choice(("技术员", "助理工程师"))]],
            "工作业绩": [[f"{y}", rng.choice(("黄石港区排水管网改造", "磁湖综合治理工程", "大冶湖生态新区道路")),
                      rng.choice(("技术负责人", "主要参与人")), "按期完成并通过验收"] for y in (2022, 2024)],
        },
    }  # fmt: skip
    ach: dict[str, list[list[str]]] = {t: [] for t in TABLES[Module.ACHIEVEMENTS]}
    if rich:
        ach["论文信息"] = [
            ["2023-05", "城市排水管网改造中的非开挖技术应用", "中国给水排水", "CN12-1073/TU", "核心期刊", "1", "第五条"]
        ]
        if rng.random() < 0.5:
            ach["著作信息"] = [["2022-10", "市政工程施工技术与管理", "武汉理工大学出版社", "ISBN 978-7-5629-0000-0",
                            "国家级", "2", "第六条", "公开出版", "合著"]]  # fmt: skip
        if rng.random() < 0.6:
            ach["专利信息"] = [["一种防堵塞雨水井盖", "2021-08-17", f"ZL2021{rng.randrange(10**7, 10**8)}.X",
                            "实用新型", "1", "是", "第七条"]]  # fmt: skip
        if rng.random() < 0.4:
            ach["项目信息"] = [
                ["2021-03至2023-06", "黄石市海绵城市建设试点", "市住建局", "市级", "技术负责人", "第五条"]
            ]
        if rng.random() < 0.4:
            ach["获奖信息"] = [["2023-12", "黄石市科学技术进步奖", "黄石市人民政府", "三等奖", "3", "第八条"]]
    tables[Module.ACHIEVEMENTS.value] = ach
    tables[Module.ATTACHMENTS.value] = {"附件材料": [["学历证书", "学历证书.jpg", "2025-09-20"],
                                                   ["职称证书", "现职称证书.jpg", "2025-09-20"]]}  # fmt: skip
    return {Module.BASIC.value: basic, **tables}


def load_demo(store: Store, seed: int = 2025, today: date | None = None) -> dict[str, int]:
    """Fill an empty store with the demo data set; returns what was made."""
    if store.query("SELECT 1 FROM cases LIMIT 1"):
        from app.core.errors import UsageError

        raise UsageError("数据库中已有办件，未写入演示数据", "加 --reset 清空后再写入（仅用于演示数据库）")
    rng = random.Random(seed)
    today = today or date.today()
    store.add_unit(
        name=UNIT_NAME, credit_code=fictional_credit_code(), kind=UnitKind.city_owned.value, region="黄石港区",
        manager_name="陈晓燕", manager_id_number=fictional_id(rng), manager_phone="13872000000",
    )  # fmt: skip
    for text in OPINIONS:
        opinion_ops.add_opinion(store, text)
    d = timedelta
    year = today.year - 1  # a year's reviews are held in the year after it
    plans = [
        # (title, series, window start, window end): one per urgency, the first two carry most cases
        (f"关于开展{year}年度黄石市工程技术人员职称评审材料申报工作的通知", "工程技术人员", today - d(20), today + d(2)),
        (f"关于开展{year}年度黄石市卫生技术人员职称评审材料申报工作的通知", "卫生技术人员", today - d(5), today + d(30)),
        (f"关于开展{year}年度黄石市工程技术人员（建筑）职称评审材料申报工作的通知", "工程技术人员", today - d(10), today + d(6)),
        (f"关于开展{year + 1}年度黄石市工程技术人员职称评审材料申报工作的通知", "工程技术人员", today + d(15), today + d(60)),
        (f"关于开展{year - 1}年度黄石市工程技术人员职称评审材料申报工作的通知", "工程技术人员", today - d(90), today - d(30)),
    ]  # fmt: skip
    plan_ids = []
    for title, series, start, end in plans:
        plan_ids.append(store.add_plan(title, series, list(SPECIALTIES[series]), start - d(7), start, end))
    # cases per plan: most in the open plans, a few in each closed one
    counts = (18, 12, 6, 3, 3)
    used: set[str] = set()
    made = 0
    now = datetime.combine(today, datetime.min.time()).replace(hour=9)
    for plan_id, (_title, series, start, end), count in zip(plan_ids, plans, counts, strict=True):
        for i in range(count):
            name = _name(rng, used)
            id_number = fictional_id(rng)
            specialty = rng.choice(SPECIALTIES[series])
            position = "工程师" if series == "工程技术人员" else rng.choice(("主治医师", "主管护师"))
            filed = start - d(rng.randrange(1, 7))
            case_id = store.add_case(
                plan_id, name, id_number, series, specialty, position, UNIT_NAME, filed,
                modules=_modules(rng, name, id_number, UNIT_NAME, rich=i % 4 != 3),
            )  # fmt: skip
            made += 1
            store.set_filed_at(case_id, datetime.combine(filed, datetime.min.time()).replace(hour=9))
            if start <= today <= end:
                _advance(store, case_id, i, now - d(hours=count - i))
            elif end < today and i < 2:
                # an earlier year's plan: these were passed and sent in time
                review_case(store, case_id, ReviewResult.PASS, OPINIONS[0],
                            now=datetime.combine(end - d(3), datetime.min.time()).replace(hour=10))  # fmt: skip
                store.update_case(case_id, status=Status.DISPATCHED)
    blanks = write_demo_downloads(store, rng)
    return {"units": 1, "plans": len(plan_ids), "cases": made, "blanks": blanks}


def demo_downloads_dir(store: Store) -> Path:
    """Where the demo's portal-style downloads are written, beside the demo store."""
    return store.path.parent / DOWNLOADS_DIR


def write_demo_downloads(store: Store, rng: random.Random) -> int:
    """The blanks "downloaded from the portal" for every case waiting for dispatch, as a browser names them.

    Their code is clearly the demo's (``HBZC-DEMO-…``). The last page has no text layer,
    so that a newcomer also meets the question of whose page it is. Nothing is brought in:
    dropping the folder on the window is the first step of the real flow.
    """
    from app.forms.draw import split_pages, write_atomic
    from app.forms.portal import PortalPage, portal_pdf

    waiting = store.cases(status=Status.PASSED, with_modules=False)
    pages = [PortalPage(slot, demo_code(rng), c.name, c.id_number, c.unit_name, c.series, c.specialty)
             for c in waiting for slot in (Slot.APPRAISAL, Slot.OPINION)]  # fmt: skip
    if not pages:
        return 0
    folder = demo_downloads_dir(store)
    counts = {Slot.APPRAISAL: 0, Slot.OPINION: 0}
    bare = portal_pdf(pages[-1:], text_layer=False)
    for page, data in zip(pages, [*split_pages(portal_pdf(pages[:-1])), bare], strict=True):
        n = counts[page.slot]
        counts[page.slot] += 1
        stem = DOWNLOAD_NAMES[page.slot]
        write_atomic(folder / (f"{stem}.pdf" if n == 0 else f"{stem}({n}).pdf"), data)
    return len(pages)


def _advance(store: Store, case_id: int, i: int, at: datetime) -> None:
    """Walk a case in an open plan to one of the states, as an officer would."""
    state = i % 9
    if state in (0, 1):
        return  # 待审核
    if state in (2, 3):
        review_case(store, case_id, ReviewResult.PASS, OPINIONS[0], now=at)
    elif state == 4:
        review_case(store, case_id, ReviewResult.RETURN, OPINIONS[1],
                    [ModuleMark(Module.STUDY, True, "2024年继续教育学时证明缺失")], now=at)  # fmt: skip
    elif state == 5:
        # returned, corrected by the applicant, back in the queue at revision 2
        review_case(store, case_id, ReviewResult.RETURN, OPINIONS[2],
                    [ModuleMark(Module.BASIC, True, "移动电话有误"),
                     ModuleMark(Module.ACHIEVEMENTS, True, "论文缺少检索证明")], now=at)  # fmt: skip
        resubmit_case(store, case_id, {"移动电话": "13907140000"}, now=at + timedelta(minutes=30))
    elif state == 6:
        # a pass given by mistake, then turned into a return
        review_case(store, case_id, ReviewResult.PASS, OPINIONS[0], now=at)
        review_case(store, case_id, ReviewResult.RETURN, OPINIONS[2],
                    [ModuleMark(Module.WORK, True, "工作业绩缺少验收证明")], now=at + timedelta(minutes=10))  # fmt: skip
    elif state == 7:
        review_case(store, case_id, ReviewResult.UNQUALIFIED, OPINIONS[3], now=at)
    else:
        review_case(store, case_id, ReviewResult.TERMINATE, OPINIONS[4], now=at)


def reset(store: Store) -> None:
    """Empty every table of a demo store (the review history's guard is lifted for this alone)."""
    with store.transaction() as c:
        c.execute("DROP TRIGGER IF EXISTS reviews_append_only_d")
        for table in ("publicity_cases", "publicities", "attachments", "blanks", "printed_forms", "revisions",
                      "reviews", "cases", "plans", "units", "opinions"):  # fmt: skip
            c.execute(f"DELETE FROM {table}")
        c.execute(
            "CREATE TRIGGER reviews_append_only_d BEFORE DELETE ON reviews"
            " BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END"
        )


__all__ = ["demo_downloads_dir", "fictional_id", "load_demo", "reset"]
