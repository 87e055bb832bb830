"""Atom feeds of new and changed opportunities: all, per section, per country, per theme.

An entry is a project; its `updated` moves when staff or an ingest change it or its pledged
total changes, so a feed reader shows it again when its shortfall changes.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from projects.models import Country, Project, Region, Theme
from projects.templatetags.figures import money

FEED_LENGTH = 50


class ProjectFeed(Feed):
    feed_type = Atom1Feed
    title = "UNODC partnership opportunities: new and changed"
    subtitle = "Projects against trafficking in persons and the smuggling of migrants."

    def get_object(self, request: HttpRequest, **kwargs):
        return None

    def link(self, obj) -> str:
        return reverse("project_list")

    def scope(self, obj):
        return Project.objects.all()

    def items(self, obj):
        return (
            self.scope(obj)
            .published()
            .with_totals()
            .select_related("section")
            .order_by("-updated_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Project) -> str:
        return str(item)

    def item_description(self, item: Project) -> str:
        figures = [f"Section: {item.section.name}."]
        if item.budget is not None:
            figures.append(f"Budget {money(item.budget)}; pledged {money(item.pledged)};")
            figures.append(f"shortfall {money(item.computed_shortfall)}.")
        elif item.stated_shortfall is not None:
            figures.append(f"Stated shortfall {money(item.stated_shortfall)}.")
        return " ".join(figures)

    def item_updateddate(self, item: Project):
        return item.updated_at

    def item_pubdate(self, item: Project):
        return item.created_at


class SectionFeed(ProjectFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Region:
        return get_object_or_404(Region, slug=slug)

    def title(self, obj: Region) -> str:
        return f"UNODC partnership opportunities in {obj.name}: new and changed"

    def link(self, obj: Region) -> str:
        return obj.get_absolute_url()

    def scope(self, obj: Region):
        field = "section" if obj.kind == Region.Kind.SECTION else "subregion"
        return Project.objects.filter(**{field: obj})


class CountryFeed(ProjectFeed):
    def get_object(self, request: HttpRequest, iso3: str) -> Country:
        return get_object_or_404(Country, iso3=iso3.upper())

    def title(self, obj: Country) -> str:
        return f"UNODC partnership opportunities in {obj.name}: new and changed"

    def link(self, obj: Country) -> str:
        return obj.get_absolute_url()

    def scope(self, obj: Country):
        return Project.objects.filter(countries=obj)


class ThemeFeed(ProjectFeed):
    def get_object(self, request: HttpRequest, theme: str) -> Theme:
        return get_object_or_404(Theme, slug=theme)

    def title(self, obj: Theme) -> str:
        return f"UNODC partnership opportunities on {obj.name.lower()}: new and changed"

    def link(self, obj: Theme) -> str:
        return f"{reverse('project_list')}?theme={obj.slug}"

    def scope(self, obj: Theme):
        return Project.objects.filter(themes=obj)
