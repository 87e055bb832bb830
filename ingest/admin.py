from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ingest import uploads
from ingest.models import DataIssue, ReportFact, ReportParagraph, SourceDocument
from ingest.parsers.types import ParseError


class UploadForm(forms.Form):
    document = forms.FileField(
        help_text="A Partnership Opportunities brochure or an activity report, PDF or text.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.txt,application/pdf,text/plain"}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        return upload.name, uploads.check_upload(upload)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "edition", "file_name", "ingested_at"]
    list_filter = ["kind"]
    search_fields = ["title", "file_name", "file_hash"]
    readonly_fields = ["file_hash", "ingested_at"]
    change_list_template = "admin/ingest/sourcedocument/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="ingest_upload"),
            path("upload/<int:pk>/", view(self.apply_view), name="ingest_upload_apply"),
            *super().get_urls(),
        ]

    def check_ingest_permission(self, request: HttpRequest) -> None:
        if not request.user.has_perm("ingest.add_sourcedocument"):
            raise PermissionDenied

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Step 1: upload and see what would change (a dry run); nothing is written yet."""
        self.check_ingest_permission(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        outcome = upload = None
        if request.method == "POST" and form.is_valid():
            name, content = form.cleaned_data["document"]
            try:
                upload, outcome = uploads.preview(name, content, request.user)
            except ParseError as error:
                form.add_error("document", ValidationError(str(error)))
        context = self.admin_site.each_context(request) | {
            "title": "Ingest a document",
            "form": form,
            "upload": upload,
            "outcome": outcome,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ingest/upload.html", context)

    def apply_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Step 2: apply a previewed upload, in one transaction."""
        self.check_ingest_permission(request)
        if request.method != "POST":
            return redirect("admin:ingest_upload")
        try:
            applied = uploads.apply(pk, request.user)
        except ParseError as error:
            messages.error(request, f"Nothing was written: {error}")
            return redirect("admin:ingest_upload")
        if applied is None:
            messages.warning(request, "This upload was already applied, or it has expired.")
            return redirect("admin:ingest_sourcedocument_changelist")
        upload, outcome = applied
        result = outcome.results[0]
        messages.success(
            request,
            f"{upload.name}: created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, withdrawn {result.withdrawn}; "
            f"{len(result.issues)} data issue(s).",
        )
        return redirect(reverse("admin:ingest_sourcedocument_changelist"))


@admin.register(DataIssue)
class DataIssueAdmin(admin.ModelAdmin):
    list_display = ["code", "project", "field", "message", "location"]
    list_filter = ["code", "document"]
    list_select_related = ["project"]
    search_fields = ["message", "raw_text", "project__title"]
    autocomplete_fields = ["project"]


@admin.register(ReportParagraph)
class ReportParagraphAdmin(admin.ModelAdmin):
    list_display = ["number", "document", "theme", "outline", "number_recovered"]
    list_filter = ["theme", "document"]
    list_select_related = ["document"]
    search_fields = ["text", "outline"]
    autocomplete_fields = ["countries"]


@admin.register(ReportFact)
class ReportFactAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "unit", "paragraph_number", "document"]
    list_filter = ["document", "unit"]
    list_select_related = ["document"]
    search_fields = ["label", "text"]
