"""The SQLite store: the only code that talks SQL.

- :mod:`~app.store.connection`: the file, opening it, transactions, queries, SQLite's errors as messages;
- :mod:`~app.store.schema` (the steps) and :mod:`~app.store.migrations` (running them);
- one repository per kind of record, each a class of methods over the connection that :class:`Store`
  puts together: :mod:`~app.store.settings`, :mod:`~app.store.units`, :mod:`~app.store.plans`,
  :mod:`~app.store.cases`, :mod:`~app.store.history` (reviews, revisions, printed forms),
  :mod:`~app.store.opinions`, :mod:`~app.store.attachments`, :mod:`~app.store.blanks`,
  :mod:`~app.store.publicity`;
- :mod:`~app.store.copies`: the database file as a whole, for backup and restore;
- :mod:`~app.store.files`: files written atomically and hashed.
"""

from app.store.attachments import Attachments
from app.store.blanks import Blanks
from app.store.cases import Cases
from app.store.connection import default_data_dir, default_db_path
from app.store.history import History
from app.store.opinions import Opinions
from app.store.plans import Plans
from app.store.publicity import Publicities
from app.store.settings import Settings
from app.store.units import Units

__all__ = ["Store", "default_data_dir", "default_db_path"]


class Store(Settings, Units, Plans, Cases, History, Opinions, Blanks, Attachments, Publicities):
    """One SQLite store with its attachments folder beside it: ``Store(path)`` opens it (creating or
    migrating it as needed); each kind of record's methods come from its repository."""
