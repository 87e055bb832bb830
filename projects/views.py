from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ingest.models import SourceDocument
from projects.models import Project


def overview(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.published()
    context = {
        "totals": projects.totals(),
        "project_count": projects.count(),
        "sources": SourceDocument.objects.order_by("-edition"),
    }
    return render(request, "projects/overview.html", context)
