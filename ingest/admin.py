from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from ingest import uploads
from ingest.models import DataIssue, PendingUpload, ReportFact, ReportParagraph, SourceDocument


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
            path("upload/<int:pk>/", view(self.progress_view), name="ingest_upload_progress"),
            path("upload/<int:pk>/apply/", view(self.apply_view), name="ingest_upload_apply"),
            *super().get_urls(),
        ]

    def check_ingest_permission(self, request: HttpRequest) -> None:
        if not request.user.has_perm("ingest.add_sourcedocument"):
            raise PermissionDenied

    def context(self, request: HttpRequest, **extra) -> dict:
        return self.admin_site.each_context(request) | {"opts": self.model._meta} | extra

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Step 1: upload; the file is checked and stored, and the worker reads it."""
        self.check_ingest_permission(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            name, content = form.cleaned_data["document"]
            upload = uploads.start(name, content, request.user)
            return redirect("admin:ingest_upload_progress", upload.pk)
        context = self.context(request, title="Ingest a document", form=form)
        return TemplateResponse(request, "admin/ingest/upload.html", context)

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Step 2: the worker's progress (the page refreshes itself), then the diff."""
        self.check_ingest_permission(request)
        upload = get_object_or_404(PendingUpload.objects.defer("content"), pk=pk)
        context = self.context(
            request,
            title=f"Ingest of {upload.name}",
            upload=upload,
            report=upload.result or upload.preview,
            can_apply=upload.state == PendingUpload.State.PREVIEWED
            and upload.uploaded_by_id == request.user.pk,
        )
        return TemplateResponse(request, "admin/ingest/progress.html", context)

    def apply_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Step 3: apply a previewed upload, on the worker, in one transaction."""
        self.check_ingest_permission(request)
        if request.method != "POST":
            return redirect("admin:ingest_upload_progress", pk)
        replace = request.POST.get("overwrite_edits") == "on"
        if not uploads.request_apply(pk, request.user, overwrite_edits=replace):
            messages.warning(request, "This upload was already applied, or it has expired.")
            return redirect("admin:ingest_sourcedocument_changelist")
        return redirect("admin:ingest_upload_progress", pk)


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
