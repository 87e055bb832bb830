from django.urls import path

from donors import views

urlpatterns = [
    path("donors/", views.donor_list, name="donor_list"),
    path("donors/<slug:slug>/", views.donor_detail, name="donor_detail"),
]
