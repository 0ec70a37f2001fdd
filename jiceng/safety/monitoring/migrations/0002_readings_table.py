"""The readings table (unmanaged in Django): partitioned by month on PostgreSQL, a plain keyed table
on SQLite (``jiceng.safety.monitoring.readings``); and the GB 18218 reference substances."""

from django.db import migrations


def create_readings(apps, schema_editor):
    from jiceng.safety.monitoring import readings

    ddl = readings.POSTGRES_DDL if schema_editor.connection.vendor == "postgresql" else readings.SQLITE_DDL
    for statement in ddl:
        schema_editor.execute(statement)


def drop_readings(apps, schema_editor):
    from jiceng.safety.monitoring import readings

    for statement in readings.DROP_DDL:
        schema_editor.execute(statement)


def load_substances(apps, schema_editor):
    import json
    from decimal import Decimal

    from jiceng.safety.monitoring.services import SUBSTANCES_FILE

    model = apps.get_model("safety_monitoring", "HazardousSubstance")
    for row in json.loads(SUBSTANCES_FILE.read_text(encoding="utf-8"))["substances"]:
        model.objects.update_or_create(
            name=row["name"],
            defaults={
                "cas_number": row.get("cas_number", ""),
                "category": row["category"],
                "critical_quantity_t": Decimal(str(row["critical_quantity_t"])),
                "beta": Decimal(str(row["beta"])) if row.get("beta") is not None else None,
                "is_highly_toxic": bool(row.get("is_highly_toxic")),
                "verified": bool(row.get("verified")),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("safety_monitoring", "0001_initial")]

    operations = [
        migrations.RunPython(create_readings, drop_readings),
        migrations.RunPython(load_substances, migrations.RunPython.noop),
    ]
