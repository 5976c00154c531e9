"""The portal's blank forms (系统下载的空白表): reading downloads, and the pages kept for printing."""
