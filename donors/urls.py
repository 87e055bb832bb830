from django.urls import path

from donors import interest_views, views

urlpatterns = [
    path("donors/", views.donor_list, name="donor_list"),
    path("donors/<slug:slug>/", views.donor_detail, name="donor_detail"),
    path("interest/", interest_views.register_interest, name="register_interest"),
    path(
        "interest/<str:token>/",
        interest_views.interest_confirmation,
        name="interest_confirmation",
    ),
    path(
        "projects/<slug:slug>/interest/", interest_views.project_interest, name="project_interest"
    ),
]
