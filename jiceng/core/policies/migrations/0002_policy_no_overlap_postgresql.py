"""On PostgreSQL, the database itself refuses overlapping rows for one key and Area.

``EXCLUDE USING gist (key WITH =, area_path WITH =, daterange(effective_from, effective_to) WITH &&)``
(needs the ``btree_gist`` extension). SQLite has no exclusion constraints; there ``Policy.clean``
is the guard (every write goes through the services, which call it).
"""

from django.db import migrations

CONSTRAINT = "policy_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE policies_policy ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(key WITH =, area_path WITH =, daterange(effective_from, effective_to, '[)') WITH &&)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE policies_policy DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
