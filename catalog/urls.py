from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("powers/", views.power_list, name="power_list"),
    path("powers/<int:pk>/", views.power_detail, name="power_detail"),
    path("discretion/", views.discretion_list, name="discretion_list"),
    path("discretion/<int:pk>/", views.discretion_detail, name="discretion_detail"),
    path("major-decisions/", views.major_rules, name="major_rules"),
    path("import/", views.import_view, name="import"),
    path("export/<str:kind>.<str:fmt_name>", views.export_view, name="export"),
]
