from django.urls import path

from donors import alert_views, interest_views, views

urlpatterns = [
    path("alerts/", alert_views.alert_subscribe, name="alert_subscribe"),
    path("alerts/confirm/<str:token>/", alert_views.alert_confirm, name="alert_confirm"),
    path(
        "alerts/unsubscribe/<str:token>/", alert_views.alert_unsubscribe, name="alert_unsubscribe"
    ),
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
