"""Themes become a set per project: "trafficking and smuggling" is found under both."""

from django.db import migrations, models

THEMES = [
    ("trafficking", "Trafficking in persons"),
    ("smuggling", "Smuggling of migrants"),
]
# The single theme each project had, as the set it means.
SETS = {"trafficking": ["trafficking"], "smuggling": ["smuggling"], "both": ["trafficking", "smuggling"]}


def themes_from_theme(apps, schema_editor):
    Theme = apps.get_model("projects", "Theme")
    Project = apps.get_model("projects", "Project")
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})
    Through = Project.themes.through
    Through.objects.bulk_create(
        Through(project_id=pk, theme_id=slug)
        for pk, theme in Project.objects.values_list("pk", "theme")
        for slug in SETS.get(theme, [])
    )


def theme_from_themes(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    sets = {}
    for project_id, slug in Project.themes.through.objects.values_list("project_id", "theme_id"):
        sets.setdefault(project_id, set()).add(slug)
    for project_id, slugs in sets.items():
        theme = "both" if len(slugs) > 1 else next(iter(slugs))
        Project.objects.filter(pk=project_id).update(theme=theme)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_project_pledged_total"),
    ]

    operations = [
        migrations.CreateModel(
            name="Theme",
            fields=[
                ("slug", models.SlugField(max_length=40, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=100, unique=True)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="project",
            name="themes",
            field=models.ManyToManyField(blank=True, related_name="projects", to="projects.theme"),
        ),
        migrations.RunPython(themes_from_theme, theme_from_themes),
    ]
