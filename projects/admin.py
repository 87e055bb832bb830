from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from projects.models import (
    BudgetPhase,
    Country,
    FocalPoint,
    FundingStatus,
    Pledge,
    Project,
    ProjectFocalPoint,
    Region,
)

# Fields the ingest writes; a staff edit to one of them is remembered so a re-ingest keeps it.
INGESTED_FIELDS = {
    "title",
    "code",
    "section",
    "subregion",
    "region_label",
    "country_label",
    "countries",
    "coverage_note",
    "themes",
    "budget",
    "budget_text",
    "budget_note",
    "pledges_text",
    "stated_shortfall",
    "shortfall_text",
    "duration",
    "description",
    "parent",
    "source_page",
    "published",
}


class FundingStatusFilter(admin.SimpleListFilter):
    title = "funding status"
    parameter_name = "funding_status"

    def lookups(self, request, model_admin):
        return FundingStatus.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(funding_status=self.value())
        return queryset


class SectionFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [(r.pk, r.name) for r in Region.objects.filter(kind=Region.Kind.SECTION)]


class PledgeInline(admin.TabularInline):
    model = Pledge
    extra = 0
    autocomplete_fields = ["donor"]
    fields = ["donor", "amount", "note", "order"]


class ProjectFocalPointInline(admin.TabularInline):
    model = ProjectFocalPoint
    extra = 0
    autocomplete_fields = ["focal_point"]
    fields = ["focal_point", "role", "order"]


class BudgetPhaseInline(admin.TabularInline):
    model = BudgetPhase
    extra = 0
    fields = ["label", "period", "amount", "order"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    list_display = [
        "title",
        "code",
        "section",
        "budget",
        "pledged_display",
        "stated_shortfall",
        "computed_shortfall_display",
        "funding_status_display",
        "published",
    ]
    list_filter = [
        ("section", SectionFilter),
        "themes",
        FundingStatusFilter,
        "published",
        ("countries", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["section"]
    search_fields = ["title", "code", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["countries", "section", "subregion", "parent"]
    readonly_fields = [
        "pledged_display",
        "computed_shortfall_display",
        "percent_funded_display",
        "funding_status_display",
        "source_document",
        "edited_fields",
        "created_at",
        "updated_at",
    ]
    inlines = [PledgeInline, ProjectFocalPointInline, BudgetPhaseInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "code", "parent", "published", "themes", "duration"]}),
        (
            "Where",
            {
                "fields": [
                    "section",
                    "subregion",
                    "region_label",
                    "country_label",
                    "countries",
                    "coverage_note",
                ]
            },
        ),
        (
            "Figures",
            {
                "fields": [
                    ("budget", "budget_text"),
                    "budget_note",
                    "pledges_text",
                    ("stated_shortfall", "shortfall_text"),
                    ("pledged_display", "computed_shortfall_display"),
                    ("percent_funded_display", "funding_status_display"),
                ]
            },
        ),
        ("Description", {"fields": ["description"]}),
        (
            "Source",
            {
                "fields": [
                    "source_document",
                    "source_page",
                    "edited_fields",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return super().get_queryset(request).with_totals()

    @admin.display(description="Pledged", ordering="pledged")
    def pledged_display(self, obj: Project):
        return obj.pledged

    @admin.display(description="Computed shortfall", ordering="computed_shortfall")
    def computed_shortfall_display(self, obj: Project):
        return obj.computed_shortfall

    @admin.display(description="Percent funded", ordering="percent_funded")
    def percent_funded_display(self, obj: Project):
        return None if obj.percent_funded is None else f"{obj.percent_funded:.1f} %"

    @admin.display(description="Funding status", ordering="funding_status")
    def funding_status_display(self, obj: Project) -> str:
        return FundingStatus(obj.funding_status).label

    def save_formset(self, request, form, formset, change):
        """An edited inline (pledges, phases, focal points) is kept by the next ingest too."""
        super().save_formset(request, form, formset, change)
        if change and formset.has_changed():
            project = form.instance
            project.edited_fields = sorted({*project.edited_fields, formset.prefix})
            Project.objects.filter(pk=project.pk).update(edited_fields=project.edited_fields)

    def save_model(self, request, obj, form, change):
        if change:
            edited = set(obj.edited_fields) | (set(form.changed_data) & INGESTED_FIELDS)
            obj.edited_fields = sorted(edited)
        super().save_model(request, obj, form, change)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "order"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso3", "iso2"]
    search_fields = ["name", "iso3", "iso2"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["name", "honorific", "position", "unit", "phone", "email"]
    search_fields = ["name", "email", "unit", "position"]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["project", "donor", "amount", "note"]
    list_select_related = ["project", "donor"]
    search_fields = ["project__title", "donor__name", "note"]
    autocomplete_fields = ["project", "donor"]
