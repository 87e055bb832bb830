from django.contrib import admin

from ingest.models import DataIssue, ReportFact, ReportParagraph, SourceDocument


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
