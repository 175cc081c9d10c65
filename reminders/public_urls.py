"""Mounted under the public portal: /gongkai/reminders/ (no login)."""

from django.urls import path

from reminders import views

app_name = "reminders_public"

urlpatterns = [
    path("", views.public_lookup, name="lookup"),
    path("sms/report/", views.sms_report, name="sms_report"),
]
