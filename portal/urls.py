from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "UNODC Partnership Opportunities"
admin.site.site_title = "Partnership Opportunities admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("projects.api_urls")),
    path("", include("donors.urls")),
    path("", include("projects.urls")),
]
