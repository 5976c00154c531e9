"""Inputs the benchmarks make for themselves: a big queue, a big spreadsheet, scan-like pages.

Every person is fictional (the demo's names and ID numbers with valid check digits).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from app.ops.demo import GIVEN, SPECIALTIES, SURNAMES, UNIT_NAME, _modules, fictional_credit_code, fictional_id
from app.store import Store

PLAN_TITLE = "关于开展2025年度黄石市工程技术人员职称评审材料申报工作的通知"


def unique_ids(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct fictional ID numbers (fictional_id alone repeats itself now and then at 10,000)."""
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen[fictional_id(rng)] = None
    return list(seen)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_queue(path: Path, n: int, seed: int = 9, today: date | None = None, rich: bool = True) -> Path:
    """A store with one unit, two open plans and ``n`` cases written in one transaction."""
    rng = random.Random(seed)
    today = today or date.today()
    d = timedelta
    with Store(path) as store:
        store.add_unit(
            name=UNIT_NAME, credit_code=fictional_credit_code(), kind="city_owned", region="黄石港区",
            manager_name="陈晓燕", manager_id_number=fictional_id(rng), manager_phone="13872000000",
        )  # fmt: skip
        plans = [
            (store.add_plan(PLAN_TITLE, "工程技术人员", list(SPECIALTIES["工程技术人员"]), today - d(27),
                            today - d(20), today + d(12)), "工程技术人员"),
            (store.add_plan(PLAN_TITLE.replace("工程技术", "卫生技术"), "卫生技术人员",
                            list(SPECIALTIES["卫生技术人员"]), today - d(12), today - d(5), today + d(30)),
             "卫生技术人员"),
        ]  # fmt: skip
        with store.transaction():
            for i, id_number in enumerate(unique_ids(rng, n)):
                plan_id, series = plans[i % 2]
                name = person_name(rng)
                store.add_case(
                    plan_id, name, id_number, series, rng.choice(SPECIALTIES[series]),
                    "工程师" if series == "工程技术人员" else "主治医师", UNIT_NAME, today - d(rng.randrange(1, 20)),
                    modules=_modules(rng, name, id_number, UNIT_NAME, rich=rich) if rich else None,
                )  # fmt: skip
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def make_spreadsheet(path: Path, n: int, seed: int = 5, bad_every: int = 0) -> Path:
    """An .xlsx with the portal's columns and ``n`` rows; every ``bad_every``-th row has a broken ID."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("申报人员")
    ws.append(["序号", "姓名", "证件号码", "系列", "专业", "申报职务", "申报单位", "移动电话"])
    for i, id_number in enumerate(unique_ids(rng, n), start=1):
        if bad_every and i % bad_every == 0:
            id_number = id_number[:17] + ("0" if id_number[17] != "0" else "1")
        ws.append([i, person_name(rng), id_number, "工程技术人员", rng.choice(SPECIALTIES["工程技术人员"]), "工程师",
                   UNIT_NAME, f"13{rng.randrange(0, 10**9):09d}"])  # fmt: skip
    wb.save(path)
    return path


def qr_page(text: str, size: tuple[int, int] = (2480, 3508), box: int = 12):
    """A grey 300-DPI A4 page (Pillow image) with one QR code and some noise, as a scanner makes it."""
    import qrcode
    from PIL import Image

    page = Image.effect_noise(size, 8).point(lambda v: min(255, v + 107))  # grey 235 with a scanner's noise
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H, box_size=box, border=4)
    qr.add_data(text)
    img = qr.make_image().convert("L")
    page.paste(img, (size[0] - img.width - size[0] // 12, size[1] // 12))
    return page
