from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from projects.history import (
    FIELD_LABELS,
    RELATED_FIELDS,
    differing,
    project_state,
    record_revision,
)
from projects.models import (
    BudgetPhase,
    Country,
    FocalPoint,
    FundingStatus,
    Pledge,
    Project,
    ProjectFocalPoint,
    ProjectRevision,
    Region,
)
from projects.templatetags.figures import money, percent, shortfall


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


class MoneyInput(forms.TextInput):
    """An amount in US dollars: "US$" beside the box, whole dollars without ".00"."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "size": 14, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="money-input"><span class="currency">US$</span>{}</span>', box
        )

    def format_value(self, value):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return super().format_value(value)


MONEY_WIDGETS = {models.DecimalField: {"widget": MoneyInput}}


class PledgeInline(admin.TabularInline):
    model = Pledge
    extra = 0
    autocomplete_fields = ["donor"]
    fields = ["donor", "amount", "note", "order"]
    formfield_overrides = MONEY_WIDGETS


class ProjectFocalPointInline(admin.TabularInline):
    model = ProjectFocalPoint
    extra = 0
    autocomplete_fields = ["focal_point"]
    fields = ["focal_point", "role", "order"]


class BudgetPhaseInline(admin.TabularInline):
    model = BudgetPhase
    extra = 0
    fields = ["label", "period", "amount", "order"]
    formfield_overrides = MONEY_WIDGETS


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    change_form_template = "admin/projects/project/change_form.html"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    list_display = [
        "title",
        "code",
        "section",
        "budget_display",
        "pledged_display",
        "stated_shortfall_display",
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
    formfield_overrides = MONEY_WIDGETS
    readonly_fields = [
        "pledged_display",
        "computed_shortfall_display",
        "percent_funded_display",
        "funding_status_display",
        "source_document",
        "edited_fields_display",
        "created_at",
        "updated_at",
    ]
    # Pledges and phases are shown right after "Budget" (the change form's template places
    # them); focal points and the history of the figures after the last fieldset.
    inlines = [PledgeInline, BudgetPhaseInline, ProjectFocalPointInline]
    inlines_after_budget = ("pledges", "phases")
    fieldsets = [
        (None, {"fields": ["title", "slug", "code", "parent", "published", "themes", "duration"]}),
        ("Budget", {"fields": ["budget", "budget_text", "budget_note"]}),
        (
            "Shortfall",
            {
                "fields": [
                    ("pledged_display", "computed_shortfall_display"),
                    ("percent_funded_display", "funding_status_display"),
                    "stated_shortfall",
                    "shortfall_text",
                    "pledges_text",
                ]
            },
        ),
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
        ("Description", {"fields": ["description"]}),
        (
            "Source",
            {
                "fields": [
                    "source_document",
                    "source_page",
                    "edited_fields_display",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return super().get_queryset(request).with_totals()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revisions = ProjectRevision.objects.filter(project_id=object_id).select_related(
            "document", "user"
        )
        extra_context = (extra_context or {}) | {"revisions": revisions}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/shortfall/",
                self.admin_site.admin_view(self.shortfall_view),
                name="projects_project_shortfall",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Budget", ordering="budget")
    def budget_display(self, obj: Project) -> str:
        return money(obj.budget) if obj.budget is not None else (obj.budget_text or "—")

    @admin.display(description="Published shortfall", ordering="stated_shortfall")
    def stated_shortfall_display(self, obj: Project) -> str:
        return "—" if obj.stated_shortfall is None else money(obj.stated_shortfall)

    @admin.display(description="Pledged", ordering="pledged")
    def pledged_display(self, obj: Project) -> str:
        return money(obj.pledged)

    @admin.display(description="Shortfall (budget − pledged)", ordering="computed_shortfall")
    def computed_shortfall_display(self, obj: Project) -> str:
        return "—" if obj.computed_shortfall is None else shortfall(obj.computed_shortfall)

    @admin.display(description="Percent funded", ordering="percent_funded")
    def percent_funded_display(self, obj: Project) -> str:
        return "—" if obj.percent_funded is None else percent(obj.percent_funded)

    @admin.display(description="Funding status", ordering="funding_status")
    def funding_status_display(self, obj: Project) -> str:
        return FundingStatus(obj.funding_status).label

    @admin.display(description="Fields updated by staff")
    def edited_fields_display(self, obj: Project) -> str:
        labels = [FIELD_LABELS.get(name, name) for name in obj.edited_fields]
        return ", ".join(labels) or "none: everything is as published"

    def save_model(self, request, obj, form, change):
        form.state_before = None
        if change:
            stored = Project.objects.get(pk=obj.pk)
            form.state_before = project_state(stored)
            # A value that differs only as sent (line endings, spaces, unsanitised markup) is
            # not a change: the stored one stays, byte for byte.
            sent = project_state(obj)
            for name in form.changed_data:
                if (
                    name in sent
                    and name not in RELATED_FIELDS
                    and sent[name] == form.state_before[name]
                ):
                    setattr(obj, name, getattr(stored, name))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Record what really changed, after the inlines are saved too: a field is a staff
        edit (kept by the next ingest) only when its normalised value differs."""
        super().save_related(request, form, formsets, change)
        project = Project.objects.get(pk=form.instance.pk)
        before, after = form.state_before, project_state(project)
        if change:
            edited = set(differing(before, after))
            if edited - set(project.edited_fields):
                project.edited_fields = sorted({*project.edited_fields, *edited})
                Project.objects.filter(pk=project.pk).update(edited_fields=project.edited_fields)
            request.stale_shortfall = stale_shortfall(project, edited)
        record_revision(project, before, after, user=request.user)

    def response_change(self, request, obj):
        if getattr(request, "stale_shortfall", False):
            return redirect("admin:projects_project_shortfall", obj.pk)
        return super().response_change(request, obj)

    def shortfall_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """After an edit to the budget or the pledges: the published shortfall no longer fits.
        Staff choose to clear it, set it to budget − pledged, or keep it."""
        project = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, project):
            raise PermissionDenied
        change_url = reverse("admin:projects_project_change", args=[pk])
        computed = project.computed_shortfall
        if request.method == "POST":
            choice = request.POST.get("choice")
            wanted = {"clear": None, "compute": computed}
            if choice in wanted and not (choice == "compute" and computed is None):
                before = project_state(project)
                Project.objects.filter(pk=pk).update(
                    stated_shortfall=wanted[choice],
                    shortfall_text="",
                    edited_fields=sorted(
                        {*project.edited_fields, "stated_shortfall", "shortfall_text"}
                    ),
                )
                project = Project.objects.get(pk=pk)
                record_revision(project, before, project_state(project), user=request.user)
                messages.success(
                    request,
                    "The published shortfall is cleared."
                    if choice == "clear"
                    else f"The stated shortfall is now {money(computed)} (budget − pledged).",
                )
            else:
                messages.info(request, "The published shortfall is kept as it was.")
            return redirect(change_url)
        context = self.admin_site.each_context(request) | {
            "title": "The published shortfall no longer fits",
            "project": project,
            "computed": computed,
            "change_url": change_url,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/projects/project/shortfall.html", context)


def stale_shortfall(project: Project, edited: set[str]) -> bool:
    """An edit of the budget or the pledges left a published shortfall that no longer fits."""
    if not ({"budget", "pledges"} & edited) or "stated_shortfall" in edited:
        return False
    if project.stated_shortfall is None or project.budget is None:
        return False
    pledged = project.pledges.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return project.stated_shortfall != project.budget - pledged


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
    list_display = ["project", "donor", "amount_display", "note"]
    list_select_related = ["project", "donor"]
    search_fields = ["project__title", "donor__name", "note"]
    autocomplete_fields = ["project", "donor"]
    formfield_overrides = MONEY_WIDGETS

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, obj: Pledge) -> str:
        return money(obj.amount)
