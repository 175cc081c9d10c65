from django.urls import URLPattern, path

from mediation import views

app_name = "mediation"

urlpatterns: list[URLPattern] = [
    path("", views.mediation_list, name="index"),
    path("new/", views.mediation_new, name="new"),
    path("stats/", views.mediation_stats, name="stats"),
    path("<int:pk>/", views.mediation_detail, name="detail"),
]
