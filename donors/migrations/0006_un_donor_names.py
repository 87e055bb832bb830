from django.db import migrations


def un_names(apps, schema_editor):
    """A government donor is named as its country (the UN's name), as new ingests name it."""
    Donor = apps.get_model("donors", "Donor")
    taken = set(Donor.objects.values_list("name", flat=True))
    for donor in Donor.objects.filter(country__isnull=False).select_related("country"):
        if donor.name != donor.country.name and donor.country.name not in taken:
            taken.discard(donor.name)
            donor.name = donor.country.name
            taken.add(donor.name)
            donor.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0005_separate_email_statuses"),
        ("projects", "0004_un_country_names"),
    ]
    operations = [migrations.RunPython(un_names, migrations.RunPython.noop)]
