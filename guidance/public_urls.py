"""Mounted under the public portal: /gongkai/guidance/ (no login)."""

from django.urls import URLPattern, path

from guidance import views

app_name = "guidance_public"

urlpatterns: list[URLPattern] = [
    path("", views.public_library, name="index"),
    path("<int:pk>/", views.public_case, name="case"),
    path("exemptions/", views.public_exemptions, name="exemptions"),
    path("ask/", views.public_ask, name="ask"),
    path("ask/sent/", views.public_asked, name="asked"),
    path("ask/track/", views.public_track, name="track"),
]
