from django.urls import path

from legal import views

app_name = "legal"

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path("accountability/", views.accountability, name="accountability"),
]
