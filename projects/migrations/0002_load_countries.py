from django.db import migrations


def load_countries(apps, schema_editor):
    from ingest.parsers.countries import all_countries

    Country = apps.get_model("projects", "Country")
    Country.objects.bulk_create(
        [Country(iso3=iso3, iso2=iso2, name=name) for iso3, iso2, name in all_countries()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
