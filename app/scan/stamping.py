"""The 盖章页 check of a judged page: its blank found (ours or the portal's), the scan loaded small."""

from __future__ import annotations

import logging

from app.core.payload import QR_BOX_MM, FormKind
from app.scan import stamp
from app.scan.engine import PageScan
from app.store import Store

log = logging.getLogger(__name__)

STAMPED_KINDS = stamp.STAMPED_KINDS


def stamp_of(store: Store, scan: PageScan, kind: FormKind, blank_id: int | None) -> stamp.Stamp | None:
    """Whether the page was signed and stamped, for a 盖章页; None for other forms.

    A page of ours was looked at already where it was read (:mod:`app.scan.engine`); a portal blank's is looked
    at here, where its blank is."""
    if scan.stamp is not None and scan.stamp_kind is kind and blank_id is None:
        return scan.stamp
    if kind not in STAMPED_KINDS or scan.image_path is None or scan.qr_box is None:
        return None
    if blank_id is not None:
        from app.blanks.layout import portal_layout

        layout = portal_layout(store, blank_id)
    else:
        layout = stamp.our_layout(QR_BOX_MM, 17 + 4 * scan.qr_version) if scan.qr_version else None
    if layout is None:
        return stamp.Stamp(None, (stamp.CANNOT_PLACE,))
    return stamp.assess_image(scan.image_path, scan.qr_box, layout)
