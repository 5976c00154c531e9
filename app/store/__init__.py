"""SQLite store: schema, migrations, repositories, attachments."""

from app.store.db import Store, default_data_dir, default_db_path

__all__ = ["Store", "default_data_dir", "default_db_path"]
