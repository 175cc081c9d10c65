"""Mounted under the public portal: /gongkai/mediation/ (no login)."""

from django.urls import URLPattern, path

from mediation import views

app_name = "mediation_public"

urlpatterns: list[URLPattern] = [
    path("", views.public_apply, name="apply"),
    path("submitted/", views.public_submitted, name="submitted"),
    path("track/", views.public_track, name="track"),
]
