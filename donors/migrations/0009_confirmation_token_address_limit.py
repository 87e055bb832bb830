import secrets

from django.db import migrations, models

import donors.models


def give_each_interest_a_token(apps, schema_editor):
    Interest = apps.get_model("donors", "Interest")
    for interest in Interest.objects.filter(confirmation_token__isnull=True).only("pk"):
        interest.confirmation_token = secrets.token_urlsafe(32)
        interest.save(update_fields=["confirmation_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0008_donor_kinds_foundation_private_sector"),
    ]

    operations = [
        migrations.CreateModel(
            name="AddressLimit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("address", models.GenericIPAddressField()),
                ("purpose", models.CharField(choices=[("interest", "Registering interest"), ("confirmation", "Confirmation pages")], max_length=20)),
                ("touched_at", models.DateTimeField()),
                ("window_start", models.DateTimeField()),
                ("hits", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("address", "purpose"), name="one_limit_per_address")],
            },
        ),
        migrations.AddField(
            model_name="interest",
            name="confirmation_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_interest_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="interest",
            name="confirmation_token",
            field=models.CharField(
                default=donors.models.new_confirmation_token,
                editable=False,
                help_text="The secret part of the confirmation page's address.",
                max_length=64,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="interest",
            name="reference",
            field=models.CharField(editable=False, help_text="Short, for people to quote.", max_length=20, unique=True),
        ),
    ]
