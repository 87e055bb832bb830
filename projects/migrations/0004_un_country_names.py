from django.db import migrations, models


def un_names(apps, schema_editor):
    """Countries take the UN's names and M49 groupings; government donors the same names."""
    from projects.un_names import un_countries

    Country = apps.get_model("projects", "Country")
    reference = un_countries()
    countries = list(Country.objects.filter(iso3__in=reference))
    # Names are unique: clear them first so that two countries may trade names.
    for country in countries:
        country.name = f"~{country.iso3}"
    Country.objects.bulk_update(countries, ["name"])
    for country in countries:
        un = reference[country.iso3]
        country.name = un.names["en"]
        country.name_fr = un.names["fr"]
        country.name_es = un.names["es"]
        country.m49_region = un.region
        country.m49_subregion = un.area
    Country.objects.bulk_update(
        countries, ["name", "name_fr", "name_es", "m49_region", "m49_subregion"]
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_project_pledged_total")]
    operations = [
        migrations.AlterField(
            model_name="country",
            name="name",
            field=models.CharField(
                help_text="The UN's short name (UNTERM, else M49).", max_length=100, unique=True
            ),
        ),
        migrations.AddField(
            model_name="country",
            name="name_fr",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in French"),
        ),
        migrations.AddField(
            model_name="country",
            name="name_es",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in Spanish"),
        ),
        migrations.AddField(
            model_name="country",
            name="m49_region",
            field=models.CharField(blank=True, max_length=60, verbose_name="M49 region"),
        ),
        migrations.AddField(
            model_name="country",
            name="m49_subregion",
            field=models.CharField(
                blank=True,
                help_text="The narrowest M49 grouping, such as “Western Africa”.",
                max_length=60,
                verbose_name="M49 subregion",
            ),
        ),
        migrations.RunPython(un_names, migrations.RunPython.noop),
    ]
