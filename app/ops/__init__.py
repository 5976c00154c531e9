"""One function per user action, used by both faces (the CLI and the GUI)."""
