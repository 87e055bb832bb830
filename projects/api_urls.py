from django.urls import path, re_path

from projects import api

urlpatterns = [
    path("projects/", api.project_list, name="api_project_list"),
    path("projects/<slug:slug>/", api.project_detail, name="api_project_detail"),
    path("regions/", api.region_list, name="api_region_list"),
    path("donors/", api.donor_list, name="api_donor_list"),
    path("schema/", api.schema, name="api_schema"),
    re_path(r"^(?P<path>.*)$", api.not_found, name="api_not_found"),
]
