"""Helpers: passed cases with the three attachments, as real images carrying our QR codes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
import qrcode
from PIL import Image, ImageDraw

from app.core.models import Slot
from app.core.payload import FormKind, Payload, encode
from app.core.review import Status
from app.store import Store

KIND = {Slot.PUBLICITY: FormKind.PUBLICITY, Slot.APPRAISAL: FormKind.APPRAISAL, Slot.OPINION: FormKind.OPINION}


def form_image(store: Store, case_id: int, slot: Slot, revision: int, size: int = 900) -> bytes:
    """A page of white paper with the case's QR code in its corner, as a PNG."""
    text = encode(store.secret, Payload(case_id, KIND[slot], revision, date.today()))
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H, box_size=6, border=4)
    qr.add_data(text)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    page = Image.new("L", (size, int(size * 1.414)), 255)
    page.paste(code, (size - code.width - 40, 40))
    ImageDraw.Draw(page).rectangle((60, 400, size - 60, 420), fill=0)
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def attach_all(store: Store, case_id: int) -> None:
    case = store.case(case_id)
    for slot in Slot:
        data = form_image(store, case_id, slot, case.revision)
        store.add_attachment(case_id, slot, data, "png", f"{slot.value}.png", "ok", revision=case.revision)


def passed_ids(store: Store) -> list[int]:
    from app.ops.dispatch import dispatch_rows

    return [r.case.id for r in dispatch_rows(store) if r.closed_reason is None]


@pytest.fixture
def ready_store(demo_store: Store) -> Iterator[Store]:
    """The demo store with every passed case in an open plan given its three attachments, but one."""
    ids = passed_ids(demo_store)
    assert len(ids) >= 3
    for case_id in ids[:-1]:
        attach_all(demo_store, case_id)
    yield demo_store


__all__ = ["Status", "attach_all", "form_image", "passed_ids"]
