from django.urls import path, re_path

from projects import feeds, views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("projects/", views.project_list, name="project_list"),
    re_path(r"^projects/export\.(?P<fmt>csv|xlsx)$", views.project_export, name="project_export"),
    path("projects/brief.pdf", views.project_brief, name="project_brief"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("countries/<str:iso3>/", views.country_detail, name="country_detail"),
    path("shortlist/", views.shortlist_page, name="shortlist"),
    path("shortlist/change/", views.shortlist_change, name="shortlist_change"),
    re_path(
        r"^shortlist/export\.(?P<fmt>csv|xlsx)$", views.shortlist_export, name="shortlist_export"
    ),
    path("focal-points/", views.focal_point_list, name="focal_point_list"),
    path("open-data/iati-activities.xml", views.iati_activities, name="iati_activities"),
    path("feeds/projects.atom", feeds.ProjectFeed(), name="feed_projects"),
    path("feeds/regions/<slug:slug>.atom", feeds.SectionFeed(), name="feed_region"),
    path("feeds/countries/<str:iso3>.atom", feeds.CountryFeed(), name="feed_country"),
    path("feeds/themes/<slug:theme>.atom", feeds.ThemeFeed(), name="feed_theme"),
]
