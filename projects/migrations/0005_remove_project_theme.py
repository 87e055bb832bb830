# Apart from 0004 so that PostgreSQL alters the table outside the transaction that copied rows.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_themes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="project",
            name="theme",
        ),
    ]
