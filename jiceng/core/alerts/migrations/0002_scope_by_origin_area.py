# Alerts are scoped by the Area where they were raised (origin_area_path), so escalation no
# longer hides them from that Area's staff: index the column and fill it where it is blank.

from django.db import migrations, models
from django.db.models import F


def fill_origin(apps, schema_editor):
    alert = apps.get_model("alerts", "Alert")
    alert.objects.filter(origin_area_path="").update(origin_area_path=F("area_path"))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_origin, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="alert",
            name="origin_area_path",
            field=models.CharField(blank=True, db_index=True, max_length=255, verbose_name="origin area path"),
        ),
    ]
