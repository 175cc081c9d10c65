"""The public verification page, mounted at /v/ (the address printed in every document's QR code)."""

from django.urls import path

from documents import views

app_name = "documents_public"

urlpatterns = [
    path("<str:code>/", views.verify, name="verify"),
]
