import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """TransitionLog becomes a ScopedModel (covered by the scope matrix): creation/update timestamps."""

    dependencies = [("workflow", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="transitionlog",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="created at"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="transitionlog",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
    ]
