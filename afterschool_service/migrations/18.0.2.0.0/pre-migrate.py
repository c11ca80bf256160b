"""18.0.2.0.0: the billing history becomes a view; what it stored beyond first charges moves.

Until 18.0.1.2.0 every billed attendance had a row in the table afterschool_billing_entry, its first
charge included. From 18.0.2.0.0 an attendance's first charge is read from the attendance itself and
only the adjustments (credits, later charges, settled corrections) are stored, in
afterschool_billing_adjustment; afterschool_billing_entry is a view of both. Before the addon loads:
the table is renamed, with its sequence, indexes and constraints, and the rows the attendance already
says (its own invoice line's) are removed from it. Nothing else changes: each attendance's billed
periods and invoice line stay as they are, and its history reads the same.
"""

from odoo.tools import SQL

OLD, NEW = "afterschool_billing_entry", "afterschool_billing_adjustment"


def _table_kind(cr, name):
    cr.execute(SQL("SELECT relkind FROM pg_class WHERE relname = %s", name))
    row = cr.fetchone()
    return row and row[0]


def migrate(cr, version):
    if _table_kind(cr, OLD) != "r" or _table_kind(cr, NEW):
        return
    cr.execute(
        SQL(
            """
        DELETE FROM %s entry
              USING afterschool_attendance a
              WHERE entry.attendance_id = a.id AND entry.move_line_id = a.invoice_line_id
        """,
            SQL.identifier(OLD),
        )
    )
    cr.execute(
        SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(OLD), SQL.identifier(NEW))
    )
    # indexes (the primary key's and the unique constraint's included), constraints and the id
    # sequence keep Odoo's names, which start with the table's
    cr.execute(
        SQL(
            """
        SELECT 'index', indexname FROM pg_indexes WHERE tablename = %(new)s AND indexname LIKE %(old)s
         UNION
        SELECT 'constraint', conname FROM pg_constraint
         WHERE conrelid = %(new)s::regclass AND contype = 'f' AND conname LIKE %(old)s
         UNION
        SELECT 'sequence', relname FROM pg_class WHERE relkind = 'S' AND relname LIKE %(old)s
        """,
            new=NEW,
            old=OLD + "%",
        )
    )
    for kind, name in cr.fetchall():
        renamed = NEW + name[len(OLD) :]
        if kind == "index":
            cr.execute(
                SQL(
                    "ALTER INDEX %s RENAME TO %s",
                    SQL.identifier(name),
                    SQL.identifier(renamed),
                )
            )
        elif kind == "constraint":
            cr.execute(
                SQL(
                    "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                    SQL.identifier(NEW),
                    SQL.identifier(name),
                    SQL.identifier(renamed),
                )
            )
        else:
            cr.execute(
                SQL(
                    "ALTER SEQUENCE %s RENAME TO %s",
                    SQL.identifier(name),
                    SQL.identifier(renamed),
                )
            )
