from django.contrib import admin

from ingest.models import DataIssue, SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "edition", "file_name", "ingested_at"]
    list_filter = ["kind"]
    search_fields = ["title", "file_name", "file_hash"]
    readonly_fields = ["file_hash", "ingested_at"]


@admin.register(DataIssue)
class DataIssueAdmin(admin.ModelAdmin):
    list_display = ["code", "project", "field", "message", "location"]
    list_filter = ["code", "document"]
    list_select_related = ["project"]
    search_fields = ["message", "raw_text", "project__title"]
    autocomplete_fields = ["project"]
