"""The 盖章页 check of a judged page: its blank found (ours or the portal's), the scan loaded small."""

from __future__ import annotations

import logging

from PIL import Image

from app.core.payload import QR_BOX_MM, FormKind
from app.scan import stamp
from app.scan.engine import PageScan
from app.store import Store

log = logging.getLogger(__name__)

#: Forms that carry a seal and a signature (the 公示证明 is checked only when it is ours: it has no blank here).
STAMPED_KINDS = (FormKind.OPINION, FormKind.APPRAISAL)
#: The scan is decoded at about the working resolution (a JPEG's reduced decoding: a quarter of a 300 DPI scan).
OVERSAMPLE = 0.9


def stamp_of(store: Store, scan: PageScan, kind: FormKind, blank_id: int | None) -> stamp.Stamp | None:
    """Whether the page was signed and stamped, for a 盖章页; None for other forms."""
    if kind not in STAMPED_KINDS or scan.image_path is None or scan.qr_box is None:
        return None
    if blank_id is not None:
        from app.blanks.layout import portal_layout

        layout = portal_layout(store, blank_id)
    else:
        layout = stamp.our_layout(QR_BOX_MM, 17 + 4 * scan.qr_version) if scan.qr_version else None
    if layout is None:
        return stamp.Stamp(None, (stamp.CANNOT_PLACE,))
    try:
        image, factor = _load(scan)
    except (OSError, ValueError) as exc:
        log.warning("the 盖章页 check could not reload %s: %r", scan.image_path, exc)
        return stamp.Stamp(None, (stamp.CANNOT_PLACE,))
    corners = [(x * factor, y * factor) for x, y in scan.qr_box]
    seen = stamp.assess(image, corners, layout)
    areas = tuple(tuple((x / factor, y / factor) for x, y in a) for a in seen.areas)
    return stamp.Stamp(seen.stamped, seen.lines, areas, seen.shares)


def _load(scan: PageScan) -> tuple[Image.Image, float]:
    """The page image, decoded at a reduced size where the format allows; and its scale."""
    assert scan.image_path is not None
    with Image.open(scan.image_path, formats=["JPEG", "PNG"]) as im:
        full = im.size
        want = OVERSAMPLE * stamp.PX_PER_MM * stamp.A4_MM[0]
        if im.format == "JPEG" and min(full) > want:
            im.draft(im.mode if im.mode in ("L", "RGB") else "RGB", (round(want), round(want * full[1] / full[0])))
        im.load()
        out = im.convert("RGB") if im.mode not in ("L", "RGB") else im
        k = int(out.width // want)
        out = out.reduce(k) if k > 1 else out.copy()  # a PNG: averaged down, not sampled, so thin strokes stay
    return out, out.width / full[0]
