"""SQL for the units (单位): read one as a :class:`~app.core.units.Unit`, write one back, list them.

The parent (上级单位) is kept by name (``parent_name``): it is usually not a unit of this
store. When it is, ``parent_id`` links the two as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.errors import NotFoundError
from app.store.connection import Connection, rowid

if TYPE_CHECKING:  # the units' rules load with the first unit read, not with the store (the window's first paint)
    from app.core.units import Unit

_SELECT = "SELECT u.*, COALESCE(u.parent_name, p.name) AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id"


def _unit(row: dict[str, Any]) -> Unit:
    from app.core.units import Manager, Unit, UnitKind

    manager = Manager(row["manager_name"], row["manager_id_number"], row["manager_phone"])
    return Unit(row["name"], row["credit_code"], UnitKind.parse(row["kind"]), row["region"], manager, row["parent"])


class Units(Connection):
    def add_unit(self, **fields: Any) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO units(name, credit_code, kind, region, manager_name, manager_id_number,"
                " manager_phone, parent_id) VALUES (:name, :credit_code, :kind, :region, :manager_name,"
                " :manager_id_number, :manager_phone, :parent_id)",
                {"parent_id": None, **fields},
            )
            return rowid(cur)

    def units(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM units ORDER BY id")

    def read_unit(self, unit_id: int | None = None) -> tuple[int, Unit] | None:
        """(id, unit) of ``unit_id``, or of the first unit when None; None when the store has no unit.

        :class:`NotFoundError` when ``unit_id`` is given and not stored.
        """
        if unit_id is None:
            rows = self.query(f"{_SELECT} ORDER BY u.id LIMIT 1")
            if not rows:
                return None
        else:
            rows = self.query(f"{_SELECT} WHERE u.id = ?", (unit_id,))
            if not rows:
                raise NotFoundError(f"没有编号为 {unit_id} 的单位", "用 zcws unit 查看已登记的单位")
        return rows[0]["id"], _unit(rows[0])

    def first_unit_id(self) -> int | None:
        rows = self.query("SELECT id FROM units ORDER BY id LIMIT 1")
        return rows[0]["id"] if rows else None

    def write_unit(self, unit: Unit, unit_id: int | None = None) -> int:
        """Insert ``unit`` (``unit_id`` None) or overwrite the stored unit ``unit_id``; returns its id."""
        fields = {
            "name": unit.name,
            "credit_code": unit.credit_code,
            "kind": unit.kind.value,
            "region": unit.region,
            "manager_name": unit.manager.name,
            "manager_id_number": unit.manager.id_number,
            "manager_phone": unit.manager.phone,
            "parent_name": unit.parent,
        }
        with self.transaction() as c:
            if unit_id is None:
                cur = c.execute(
                    "INSERT INTO units(name, credit_code, kind, region, manager_name, manager_id_number, manager_phone,"
                    " parent_name) VALUES (:name, :credit_code, :kind, :region, :manager_name, :manager_id_number,"
                    " :manager_phone, :parent_name)",
                    fields,
                )
                unit_id = rowid(cur)
            else:
                cur = c.execute(
                    "UPDATE units SET name=:name, credit_code=:credit_code, kind=:kind, region=:region,"
                    " manager_name=:manager_name, manager_id_number=:manager_id_number, manager_phone=:manager_phone,"
                    " parent_name=:parent_name WHERE id=:id",
                    {**fields, "id": unit_id},
                )
                if cur.rowcount == 0:
                    raise NotFoundError(f"没有编号为 {unit_id} 的单位", "用 zcws unit 查看已登记的单位")
            parent = None
            if unit.parent is not None:
                row = c.execute("SELECT id FROM units WHERE name = ? AND id != ? ORDER BY id LIMIT 1",
                                (unit.parent, unit_id)).fetchone()  # fmt: skip
                parent = row[0] if row else None
            c.execute("UPDATE units SET parent_id = ? WHERE id = ?", (parent, unit_id))
        return unit_id

    def default_unit_name(self) -> str:
        rows = self.query("SELECT name FROM units ORDER BY id LIMIT 1")
        return rows[0]["name"] if rows else ""
