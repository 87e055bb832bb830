from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

admin.site.site_header = "UNODC Partnership Opportunities"
admin.site.site_title = "Partnership Opportunities admin"


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when this instance can reach the database (a database error
    becomes the 503 of projects.middleware)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain", headers={"Cache-Control": "no-store"})


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the donor pages in every language, not the forms, the visitor's own
    shortlist, the downloads or the admin."""
    prefixes = [""] + [
        f"/{code}" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    return render(request, "robots.txt", {"language_prefixes": prefixes}, content_type="text/plain")


handler500 = "projects.middleware.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/", include("projects.api_urls")),
    # Donor pages and the admin in English at /…, in French at /fr/…, in Spanish at /es/….
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("donors.urls")),
        path("", include("projects.urls")),
        prefix_default_language=False,
    ),
]
