"""Stepwise migrations. ``MIGRATIONS[i]`` takes the store from version i to i+1.

A step is SQL (a table with constraints sqlite-utils cannot declare, triggers) or a function of a
``sqlite_utils.Database`` over the store's connection (indexes, added columns, and ``transform``
where ``ALTER TABLE`` cannot do it). sqlite-utils is imported only when a step runs, never when an
up-to-date store opens. Never change what a shipped migration makes (``tests/store/schema_v6.json``
pins it): add the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

Migration = str | Callable[["Database"], None]


def _by_name_and_source_page(db: Database) -> None:
    """2: search by name; remember which page of a multi-page source an attachment was."""
    db.table("cases").create_index(["name"], index_name="cases_name")
    db.table("attachments").add_column("source_page", int)


def _objections_per_case(db: Database) -> None:
    """3: objections to a publicity are about one applicant: keep them (and how they were handled) per case."""
    db.table("publicity_cases").add_column("objections", str, not_null_default="")
    db.table("publicity_cases").create_index(["case_id"], index_name="publicity_cases_case")


def _parent_name(db: Database) -> None:
    """4: a unit's parent (上级单位) is usually not a unit of this store: keep its name."""
    db.table("units").add_column("parent_name", str)


MIGRATIONS: tuple[Migration, ...] = (
    # 1: the first schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        credit_code TEXT NOT NULL,
        kind TEXT NOT NULL,
        region TEXT NOT NULL,
        manager_name TEXT NOT NULL,
        manager_id_number TEXT NOT NULL,
        manager_phone TEXT NOT NULL,
        parent_id INTEGER REFERENCES units(id)
    );
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        series TEXT NOT NULL,
        specialties TEXT NOT NULL,
        deadline TEXT NOT NULL,
        window_start TEXT NOT NULL,
        window_end TEXT NOT NULL
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        business TEXT NOT NULL,
        unit_name TEXT NOT NULL,
        name TEXT NOT NULL,
        id_number TEXT NOT NULL,
        series TEXT NOT NULL,
        specialty TEXT NOT NULL,
        position TEXT NOT NULL,
        filed_on TEXT NOT NULL,
        status TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        modules TEXT NOT NULL DEFAULT '{}',
        returned TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL,
        UNIQUE (plan_id, id_number)
    );
    CREATE INDEX cases_status ON cases(status);
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        at TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        result TEXT NOT NULL,
        opinion TEXT NOT NULL,
        returns TEXT NOT NULL DEFAULT '{}',
        revision INTEGER NOT NULL
    );
    CREATE INDEX reviews_case ON reviews(case_id);
    CREATE TRIGGER reviews_append_only_u BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;
    CREATE TRIGGER reviews_append_only_d BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;
    CREATE TABLE revisions (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        revision INTEGER NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (case_id, revision)
    );
    CREATE TABLE printed_forms (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        form TEXT NOT NULL,
        revision INTEGER NOT NULL,
        printed_on TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        slot TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        ext TEXT NOT NULL,
        original_name TEXT NOT NULL,
        verdict TEXT NOT NULL,
        message TEXT NOT NULL DEFAULT '',
        revision INTEGER,
        stored_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX attachments_case ON attachments(case_id, slot);
    CREATE TABLE opinions (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
    CREATE TABLE publicities (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER REFERENCES plans(id),
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        place TEXT NOT NULL,
        contact TEXT NOT NULL DEFAULT '',
        objections TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE TABLE publicity_cases (
        publicity_id INTEGER NOT NULL REFERENCES publicities(id),
        case_id INTEGER NOT NULL REFERENCES cases(id),
        PRIMARY KEY (publicity_id, case_id)
    );
    """,
    _by_name_and_source_page,
    _objections_per_case,
    _parent_name,
    # 5: the portal's own blank forms (系统下载的空白表), per case and slot in the order they came; the page
    # itself is a one-page PDF among the attachments' blobs. A code is one case's and one slot's only.
    # (SQL: sqlite-utils declares no UNIQUE constraint of a column or of several.)
    """
    CREATE TABLE blanks (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        slot TEXT NOT NULL,
        code TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        source_name TEXT NOT NULL,
        source_page INTEGER NOT NULL,
        came_at TEXT NOT NULL,
        number INTEGER NOT NULL,
        UNIQUE (case_id, slot, number)
    );
    CREATE INDEX blanks_case ON blanks(case_id, slot);
    """,
    # 6: a scan stored in a slot remembers the portal blank whose code it carries (superseded later → stale)
    # (SQL: ALTER adds a column that references a table; sqlite-utils would rebuild the table for it.)
    """
    ALTER TABLE attachments ADD COLUMN blank_id INTEGER REFERENCES blanks(id);
    """,
    # 7: a 盖章页 stored remembers whether it was seen signed and stamped (1, 0; NULL: cannot tell, not a 盖章页,
    # or stored before this check) and, when not, what was missing ("未见单位公章")
    """
    ALTER TABLE attachments ADD COLUMN stamped INTEGER;
    ALTER TABLE attachments ADD COLUMN stamp_note TEXT NOT NULL DEFAULT '';
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
