"""The forms we print (fpdf2): 单位审核意见表, 考核表, 开户申请表, and the helpers to draw them.

``QR_BOX_MM`` is where the QR code sits on every form, (x, y, size) in mm from the
top-left corner of the A4 page, quiet zone included: a scanner should look there first.
"""

from __future__ import annotations

from app.forms.batch import COMBINED_NAME, render_batch, render_form_pdf
from app.forms.draw import QR_BOX_MM
from app.forms.names import safe_filename

__all__ = ["COMBINED_NAME", "QR_BOX_MM", "render_batch", "render_form_pdf", "safe_filename"]
