"""Privacy: ID numbers masked in lists, logs and error messages; no clear personal data in the QR
code; and no network connection, ever, while the program does its work."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from app.core.ids import mask_id
from app.core.payload import FormKind, Payload, encode
from app.store import Store

ROOT = Path(__file__).resolve().parents[1]
#: Anything that looks like an 18-character ID number in clear.
CLEAR_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "ZCWS_HOME": str(home), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def _zcws(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=ROOT, env=_env(home),
                          capture_output=True, text=True, encoding="utf-8", timeout=180)  # fmt: skip


@pytest.fixture
def demo_db(tmp_path: Path, demo_store: Store) -> tuple[Path, list[str]]:
    """A demo database and every ID number in it (cases and the unit's manager)."""
    ids = [r["id_number"] for r in demo_store.query("SELECT id_number FROM cases")]
    ids += [r["manager_id_number"] for r in demo_store.query("SELECT manager_id_number FROM units")]
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return demo_store.path, ids


def _assert_masked(text: str, ids: list[str], where: str) -> None:
    leaked = [i for i in ids if i in text]
    assert not leaked, f"{where} shows ID numbers in clear: {[mask_id(i) for i in leaked][:3]}"
    assert not CLEAR_ID.search(text), f"{where} shows an ID number in clear"


def test_lists_show_id_numbers_masked(tmp_path: Path, demo_db: tuple[Path, list[str]]) -> None:
    db, ids = demo_db
    home = tmp_path / "home"
    for args in (["cases"], ["cases", "--json"], ["cases", "--search", ids[0]], ["dispatch"], ["dispatch", "--json"],
                 ["show", "1"]):  # fmt: skip
        r = _zcws(home, *args, "--db", db)
        assert r.returncode == 0, r.stderr
        _assert_masked(r.stdout + r.stderr, ids, f"zcws {' '.join(args)}")
    # the search by a full ID number still finds its case, and shows it masked
    r = _zcws(home, "cases", "--json", "--search", ids[0], "--db", db)
    assert [row["id_number"] for row in json.loads(r.stdout)] == [mask_id(ids[0])]
    # only on explicit request, in JSON
    r = _zcws(home, "cases", "--json", "--full", "--db", db)
    assert ids[0] in r.stdout


def test_show_json_masks_the_id_number_in_the_basic_module(tmp_path: Path, demo_db: tuple[Path, list[str]]) -> None:
    db, ids = demo_db
    r = _zcws(tmp_path / "home", "show", "1", "--json", "--db", db)
    assert r.returncode == 0, r.stderr
    _assert_masked(r.stdout, ids, "zcws show --json")


def test_logs_and_error_messages_keep_id_numbers_masked(tmp_path: Path, demo_db: tuple[Path, list[str]]) -> None:
    db, ids = demo_db
    home = tmp_path / "home"
    # an import whose rows are bad in every way the officer can make them: each error names the row
    bad_check = ids[1][:17] + ("0" if ids[1][17] != "0" else "1")
    sheet = tmp_path / "申报 人员.csv"
    sheet.write_text(
        "序号,姓名,证件号码,系列,专业,申报职务\n"
        f"1,重复者,{ids[0]},工程技术人员,水利水电,工程师\n"
        f"2,错位者,{bad_check},工程技术人员,水利水电,工程师\n"
        f"3,同表重复,{ids[2]},工程技术人员,水利水电,工程师\n"
        f"4,同表重复,{ids[2]},工程技术人员,水利水电,工程师\n"
        f"5,未知计划,{ids[3]},不存在的系列,水利水电,工程师\n",
        encoding="utf-8",
    )
    runs = [
        ("import", sheet, "--db", db),
        ("import", sheet, "--dry-run", "--db", db),
        ("resubmit", "1", "--set", f"证件号码={bad_check}", "--db", db),
        ("review", "999", "--result", "pass", "--opinion", ids[0], "--db", db),
        ("cases", "--search", ids[4], "--db", db),
    ]
    outputs = []
    for args in runs:
        r = _zcws(home, *args)
        outputs.append(r.stdout + r.stderr)
        _assert_masked(r.stdout + r.stderr, [*ids, bad_check], f"zcws {' '.join(map(str, args[:2]))}")
    assert any("第" in o and "行" in o for o in outputs[:2]), "the import names its bad rows"
    log = home / "zcws.log"
    if log.exists():
        _assert_masked(log.read_text(encoding="utf-8"), [*ids, bad_check], "the log file")


def test_the_qr_payload_holds_no_clear_personal_data(demo_store: Store, tmp_path: Path) -> None:
    case = demo_store.cases()[0]
    text = encode(demo_store.secret, Payload(case.id, FormKind.OPINION, case.revision, date(2025, 10, 20)))
    assert re.fullmatch(r"[0-9A-Z.]+", text), "only QR alphanumeric characters"
    assert len(text) <= 40
    birth = case.id_number[6:14]
    for secret in (case.name, case.id_number, case.id_number[-4:], birth, birth[:4] + "-" + birth[4:6]):
        assert secret not in text
    assert not re.search(r"\d{6,}", text), "no long run of digits (a birth date, a phone number)"


def test_the_qr_code_on_a_rendered_form_holds_no_clear_personal_data(demo_store: Store, tmp_path: Path) -> None:
    import pypdfium2
    import zxingcpp

    from app.core.review import Status
    from app.ops.forms import render_forms

    case = demo_store.cases(status=Status.PASSED)[0]
    forms = render_forms(demo_store, [case.id], tmp_path / "表格")
    assert forms
    for form in forms:
        pdf = pypdfium2.PdfDocument(str(form.path))
        try:
            image = pdf[0].render(scale=200 / 72).to_pil()
        finally:
            pdf.close()
        codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert len(codes) == 1
        text = codes[0].text
        assert text.startswith("ZW")
        for secret in (case.name, case.id_number, case.id_number[-4:], case.id_number[6:14], case.unit_name):
            assert secret not in text
        # the QR code says nothing about the person beyond the case number the store knows
        assert not re.search(r"[\u4e00-\u9fff]", text)


#: Runs the command line with an audit hook that refuses and records every attempt to reach the network.
NO_NETWORK = textwrap.dedent(
    """
    import socket, sys
    attempts = []
    def hook(event, args):
        if event == "socket.getaddrinfo" or event == "socket.gethostbyname" or event == "socket.gethostbyaddr":
            attempts.append(f"{event} {args[0]!r}")
            raise OSError("network refused by the test")
        if event in ("socket.connect", "socket.sendto", "socket.bind"):
            sock = args[0]
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                attempts.append(f"{event} {args[1]!r}")
                raise OSError("network refused by the test")
    sys.addaudithook(hook)
    from app.__main__ import run
    try:
        code = run(sys.argv[1:])
    finally:
        if attempts:
            sys.stderr.write("NETWORK ATTEMPTS: " + "; ".join(attempts) + "\\n")
    sys.exit(code)
    """
)


def _offline(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([sys.executable, "-c", NO_NETWORK, *map(str, args)], cwd=ROOT, env=_env(home),
                       capture_output=True, text=True, encoding="utf-8", timeout=300)  # fmt: skip
    assert "NETWORK ATTEMPTS" not in r.stderr, f"zcws {args[0]}: {r.stderr}"
    return r


def test_the_hook_would_catch_a_connection(tmp_path: Path) -> None:
    code = NO_NETWORK.replace("from app.__main__ import run", "import socket\ndef run(argv):\n"
                              "    socket.create_connection(('192.0.2.1', 80), timeout=0.1)\n    return 0")  # fmt: skip
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "NETWORK ATTEMPTS" in r.stderr


def test_no_network_connection_while_doing_the_work(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = tmp_path / "data" / "zcws.sqlite3"
    out = tmp_path / "输出"
    assert _offline(home, "demo", "--db", db).returncode == 0
    with Store(db) as s:
        from app.core.review import Status

        passed = [c.id for c in s.cases(status=Status.PASSED)]
        pending = [c.id for c in s.cases(status=Status.PENDING)]
    for args in (["cases", "--json"], ["show", str(passed[0])], ["dispatch"], ["publicity", "--help"]):
        assert _offline(home, *args, "--db", db).returncode in (0, 2)
    _offline(home, "review", str(pending[0]), "--result", "pass", "--opinion", "同意推荐", "--db", db)
    r = _offline(home, "forms", "--case", str(passed[0]), "--out", out / "表格", "--json", "--db", db)
    if r.returncode == 0:
        pdfs = sorted((out / "表格").rglob("*.pdf"))
        _offline(home, "check", *pdfs, "--json", "--db", db)
        _offline(home, "sort", out / "表格", "--json", "--db", db)
        if pdfs:
            _offline(home, "attach", str(passed[0]), "opinion", pdfs[0], "--db", db)
    sheet = tmp_path / "导入.csv"
    sheet.write_text("序号,姓名,证件号码,系列,专业,申报职务\n1,林某某,11010519491231002X,工程技术人员,水利水电,工程师\n",
                     encoding="utf-8")  # fmt: skip
    _offline(home, "import", sheet, "--dry-run", "--db", db)
    _offline(home, "export", "--out", out / "送审包", "--db", db)
    assert _offline(home, "backup", out / "备份.zip", "--db", db).returncode == 0
    assert _offline(home, "restore", out / "备份.zip", "--db", db).returncode == 0
