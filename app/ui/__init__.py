"""The PySide6 face: the main window over the same ops as the command line.

Widgets gather input, call an ``app.ops`` function and show the result; no
review rule lives here.
"""
