"""The public verification page (no login): /v/<code>/ — the short address printed in every
document's QR code — and /verify/<code>/, the same view under the long address."""

from django.urls import path

from documents import views

app_name = "documents_public"

urlpatterns = [
    path("v/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_long"),
]
