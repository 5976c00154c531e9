"""Where the 盖章页 check's thresholds sit among the scores it measures on real pages.

    python scripts/stamp_distribution.py            # the populations and the margins, as tables
    python scripts/stamp_distribution.py --json F   # and every page's scores as JSON

Pages: our 单位审核意见表 and 考核表 and a portal-style blank brought in (its words found
in its text layer), each rendered, then signed and stamped (or not) as the tests do it
(tests/scan/stamps.py), and scanned in colour, grey, bilevel, at 150 DPI, upside down,
skewed, as a phone photo. Every page goes through the real check (the page read, the
scan placed on its blank by the code's corners) and the scores of app.scan.stamp are
collected per population: the share of added ink in the seal's and the signature's
areas, the share of seal-red in the seal's area on colour pages.

For each threshold the script prints the lowest score of the pages that must pass it and
the highest of those that must not, and how far each sits from the threshold (×).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from app.core.models import Slot  # noqa: E402
from app.core.payload import FormKind  # noqa: E402
from app.scan import stamp  # noqa: E402
from tests.scan import scans, stamps  # noqa: E402

Change = Callable[[Image.Image], Image.Image]


@dataclass(frozen=True)
class Source:
    """A blank: its page at 300 DPI, where its seal and signature go (mm), and its case and form."""

    name: str
    page: Image.Image
    seal_at: tuple[float, float]
    sign_at: tuple[float, float]
    case_id: int
    kind: FormKind


#: How a page is scanned.
SCANS: dict[str, Change] = {
    "colour": lambda im: im,
    "grey": lambda im: im.convert("L"),
    "bilevel": lambda im: stamps.bilevel(im).convert("L"),
    "150dpi": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS),
    "upside-down": lambda im: im.rotate(180),
    "skewed": lambda im: scans.rotated(im, 4),
    "photo": lambda im: scans.phone_photo(im.convert("RGB")),
}
#: Which scans lose the seal's colour.
NO_COLOUR = {"grey", "bilevel"}


def _populations(src: Source) -> dict[str, Image.Image]:
    """Per population (what was done to the paper), the paper before scanning."""
    at = {"seal_at": src.seal_at, "sign_at": src.sign_at}
    return {
        "signed+stamped": stamps.signed(src.page, **at),
        "signed+stamped, blue pen": stamps.signed(src.page, pen=stamps.BLUE_PEN, **at),
        "signed+stamped, faint partial seal": stamps.signed(src.page, seal_colour=stamps.FAINT_RED, partial=0.6, **at),
        "signed+stamped, black seal": stamps.signed(src.page, seal_colour=stamps.BLACK_PEN, **at),
        "stamped, unsigned": stamps.signed(src.page, sign=False, **at),
        "signed, unstamped": stamps.signed(src.page, seal=False, **at),
        "the blank itself": src.page,
    }


def measure(work: Path) -> list[dict]:
    """Every page's scores: source, population, scan, stamped, and the shares of app.scan.stamp."""
    from app.forms import render_form_pdf
    from app.forms.portal import PortalPage, demo_code, portal_pdf
    from app.ops.blanks import import_blanks
    from app.ops.demo import load_demo
    from app.scan.judge import judge
    from app.scan.pages import Limits
    from app.scan.pool import scan_paths
    from app.scan.stamping import stamp_of
    from app.store import Store

    store = Store(work / "store" / "zcws.sqlite3")
    load_demo(store, today=date.today())
    case = next(c for c in store.cases() if c.status.value == "passed")
    sources = []
    for kind in (FormKind.OPINION, FormKind.APPRAISAL):
        pdf = render_form_pdf(store, case.id, kind, work / f"{kind.value}.pdf")
        sources.append(Source(f"ours {kind.value}", scans.rasterize(pdf, 300), stamps.OUR_SEAL_MM,
                              stamps.OUR_SIGNATURE_MM, case.id, kind))  # fmt: skip
    portal = work / "portal.pdf"
    portal.write_bytes(portal_pdf([PortalPage(Slot.APPRAISAL, demo_code(), case.name, case.id_number, case.unit_name,
                                              case.series, case.specialty)]))  # fmt: skip
    import_blanks(store, [portal], case_id=case.id, slot=Slot.APPRAISAL, now=datetime.now())
    sources.append(Source("portal appraisal", scans.rasterize(portal, 300), stamps.PORTAL_SEAL_MM,
                          stamps.PORTAL_SIGNATURE_MM, case.id, FormKind.APPRAISAL))  # fmt: skip

    limits, known = Limits.from_store(store), store.blank_codes()
    rows = []
    for src in sources:
        for population, paper in _populations(src).items():
            for scan_name, change in SCANS.items():
                path = work / "scans" / f"{src.name}-{population}-{scan_name}.jpg".replace(" ", "_")
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(scans.jpeg(change(paper.convert("RGB")), 85))
                [page] = scan_paths([path], work / "upload", limits, known=known, workers=1)
                result = judge(store, page)
                seen = stamp_of(store, page, src.kind, result.blank_id) if result.form else None
                rows.append({
                    "source": src.name, "population": population, "scan": scan_name,
                    "verdict": result.final.value, "stamped": result.stamped,
                    "shares": {} if seen is None else {k: round(v, 5) for k, v in seen.shares.items()},
                })  # fmt: skip
    store.close()
    return rows


# -- the tables ---------------------------------------------------------------------------


def _pick(rows: list[dict], key: str, keep: Callable[[dict], bool]) -> list[float]:
    return [r["shares"][key] for r in rows if key in r["shares"] and keep(r)]


def _colour(r: dict) -> bool:
    return r["scan"] not in NO_COLOUR


def _signed(r: dict) -> bool:
    return r["population"].startswith("signed")


def _stamped(r: dict) -> bool:
    return "stamped" in r["population"] and "unstamped" not in r["population"]


def _red_seal(r: dict) -> bool:
    return _stamped(r) and "black seal" not in r["population"]


#: (threshold, its value, the score, pages that must reach it, pages that must stay under it)
CHECKS: list[tuple[str, float, str, Callable[[dict], bool], Callable[[dict], bool]]] = [
    ("SIGNED_SHARE", stamp.SIGNED_SHARE, "signature", _signed, lambda r: not _signed(r)),
    ("SEAL_INK_SHARE (grey, bilevel)", stamp.SEAL_INK_SHARE, "seal",
     lambda r: _stamped(r) and not _colour(r), lambda r: not _stamped(r) and not _colour(r)),
    ("GREY_SEAL_SHARE (grey, bilevel)", stamp.GREY_SEAL_SHARE, "seal",
     lambda r: _stamped(r) and not _colour(r), lambda r: not _stamped(r) and not _colour(r)),
    ("SEAL_RED_SHARE (colour)", stamp.SEAL_RED_SHARE, "seal_red",
     lambda r: _red_seal(r) and _colour(r), lambda r: not _red_seal(r) and _colour(r)),
    ("NOTHING_SHARE (any area)", stamp.NOTHING_SHARE, "any",
     lambda r: r["population"] != "the blank itself", lambda r: r["population"] == "the blank itself"),
]  # fmt: skip


def _lost(r: dict) -> str | None:
    """Why the scan itself no longer shows what was done to the paper (the committee sees the same), or None."""
    if "faint" in r["population"] and r["scan"] == "bilevel":
        return "a faint seal is thresholded away by a bilevel scan"
    if "black seal" in r["population"] and _colour(r):
        return "black ink only: a colour scan of it cannot be told from a grey one, where a black seal is a seal"
    if r["source"].startswith("portal") and r["population"] == "stamped, unsigned" and not _colour(r):
        return "the portal's seal lies over the signature's place; without colour the seal's ink is taken for a pen's"
    return None


def margins(rows: list[dict], group: str) -> list[dict]:
    """Per threshold, over the pages of ``group`` (a source's prefix) whose scan still shows what was done to the
    paper: the lowest score that must pass, the highest that must not, each as a margin (×)."""
    for r in rows:
        inked = [v for k, v in r["shares"].items() if not k.endswith("_red") and k != "any"]
        if inked:
            r["shares"]["any"] = max(inked)
    kept = [r for r in rows if r["source"].startswith(group) and _lost(r) is None]
    out = []
    for name, value, key, above, below in CHECKS:
        low = _pick(kept, key, above)
        high = _pick(kept, key, below)
        lo, hi = min(low, default=float("nan")), max(high, default=float("nan"))
        out.append({
            "group": group, "threshold": name, "value": value, "score": key,
            "lowest_that_must_pass": lo, "pass_margin": lo / value,
            "highest_that_must_not": hi, "fail_margin": value / hi if hi else float("inf"),
        })  # fmt: skip
    return out


def population_table(rows: list[dict]) -> str:
    lines = [f"{'population':38} {'scan':12} {'n':>3} {'signature':>22} {'seal ink':>22} {'seal red':>22}"]
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        scan = "colour-ish" if _colour(r) else "grey/bilevel"
        groups.setdefault((r["population"], scan), []).append(r)

    def span(values: list[float]) -> str:
        if not values:
            return "—"
        return f"{min(values):.4f}–{max(values):.4f} ({statistics.median(values):.4f})"

    for (population, scan), rs in groups.items():
        lines.append(
            f"{population:38} {scan:12} {len(rs):>3} {span(_pick(rs, 'signature', bool)):>22} "
            f"{span(_pick(rs, 'seal', bool)):>22} {span(_pick(rs, 'seal_red', bool)):>22}"
        )
    return "\n".join(lines)


def margin_table(found: list[dict]) -> str:
    lines = [f"{'':7}{'threshold':34} {'value':>7} {'lowest to pass':>15} {'×':>6} {'highest not to':>15} {'×':>6}"]
    for m in found:
        lines.append(
            f"{m['group']:7}{m['threshold']:34} {m['value']:>7.4f} {m['lowest_that_must_pass']:>15.4f} "
            f"{m['pass_margin']:>6.1f} "
            f"{m['highest_that_must_not']:>15.4f} {m['fail_margin']:>6.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write every page's scores and the margins here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(Path(tmp))
    found = margins(rows, "ours") + margins(rows, "portal")
    print(population_table(rows))
    print()
    print(margin_table(found))
    print()
    wrong = [r for r in rows if r["stamped"] is False and _signed(r) and _red_seal(r) and _lost(r) is None]
    print(f"{len(rows)} pages; a signed page with a red seal called unstamped: {len(wrong)}")
    print("calls that differ from the paper (stamped: the page as the check called it):")
    for r in rows:
        truth = _signed(r) and (_red_seal(r) or (_stamped(r) and not _colour(r)))
        if r["stamped"] is not truth:
            why = _lost(r) or ("cannot tell: " if r["stamped"] is None else "") + ", ".join(
                f"{k} {v:.4f}" for k, v in r["shares"].items() if k != "any"
            )
            print(f"  {r['source']} · {r['population']} · {r['scan']}: {r['stamped']} ({why})")
    if args.json:
        args.json.write_text(json.dumps({"pages": rows, "margins": found}, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
