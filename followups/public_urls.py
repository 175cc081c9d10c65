"""Mounted under the public portal: /gongkai/followups/ (no login; the link is signed)."""

from django.urls import path

from followups import views

app_name = "followups_public"

urlpatterns = [
    path("q/<str:token>/", views.questionnaire, name="questionnaire"),
    path("thanks/", views.thanks, name="thanks"),
]
