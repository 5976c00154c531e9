"""单位送审, one file per part of the tab:

- ``tab``: the tab itself, its layout and buttons, and its one background operation at a time;
- ``case_table``: the passed cases with their attachment slots (pages and files dropped on a slot);
- ``scan_inbox``: scans dropped or chosen, sorted and checked page by page, the list of checked pages;
- ``verdict_card``: the selected page's preview, verdict and what to do;
- ``portal_blanks``: the portal's blank forms brought in, assigned, printed;
- ``own_forms``: the forms this program renders (本程序表格);
- ``confirm``: the question before 送审 or 导出, warnings named;
- ``send``: 送审; ``export``: 导出送审包; ``publicity``: 公示.

The progress display is the shared :class:`app.ui.progress.ProgressStrip`.
"""
