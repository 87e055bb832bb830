from django.contrib import admin
from django.urls import path

from projects import views as project_views

admin.site.site_header = "UNODC Partnership Opportunities"
admin.site.site_title = "Partnership Opportunities admin"

urlpatterns = [
    path("", project_views.overview, name="overview"),
    path("admin/", admin.site.urls),
]
