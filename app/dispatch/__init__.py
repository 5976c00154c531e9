"""Data in and out: 送审包 export with its 一览表, spreadsheet import, backup and restore."""
