"""Mounted under the public portal: /gongkai/service/ (一网通办, no login)."""

from django.urls import path

from service import views

app_name = "service_public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("apply/", views.public_apply, name="apply"),
    path("submitted/", views.public_submitted, name="submitted"),
    path("track/", views.public_track, name="track"),
    path("track/notices/<int:pk>/", views.public_notice, name="notice"),
    path("refusals/", views.public_refusals, name="refusals"),
    path("licences/", views.public_licences, name="licences"),
    path("random-inspections/", views.public_draws, name="draws"),
    path("random-inspections/<int:pk>/", views.public_draw, name="draw"),
]
