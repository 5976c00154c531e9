"""职称网审助手 (zcws): offline helper for unit HR officers in the Hubei title-review portal."""

__version__ = "0.1.0"
APP_NAME = "zcws"
APP_TITLE = "职称网审助手"
