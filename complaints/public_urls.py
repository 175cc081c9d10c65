"""Mounted under the public portal: /gongkai/complaints/ (no login)."""

from django.urls import path

from complaints import views

app_name = "complaints_public"

urlpatterns = [
    path("new/", views.public_new, name="new"),
    path("submitted/", views.public_submitted, name="submitted"),
    path("track/", views.public_track, name="track"),
    path("track/feedback/", views.public_feedback, name="feedback"),
]
