from django.urls import path

from catalog import edit_views, views

app_name = "catalog"
urlpatterns = [
    path("powers/", views.power_list, name="power_list"),
    path("powers/new/", edit_views.power_create, name="power_create"),
    path("powers/<int:pk>/", views.power_detail, name="power_detail"),
    path("powers/<int:pk>/revise/", edit_views.power_revise, name="power_revise"),
    path("powers/<int:pk>/publish/", edit_views.power_publish, name="power_publish"),
    path("powers/<int:pk>/retire/", edit_views.power_retire, name="power_retire"),
    path("provisions/", edit_views.provision_list, name="provision_list"),
    path("provisions/new/", edit_views.provision_edit, name="provision_create"),
    path("provisions/<int:pk>/edit/", edit_views.provision_edit, name="provision_edit"),
    path("discretion/", views.discretion_list, name="discretion_list"),
    path("discretion/new/", edit_views.standard_create, name="standard_create"),
    path("discretion/<int:pk>/", views.discretion_detail, name="discretion_detail"),
    path("discretion/<int:pk>/edit/", edit_views.standard_edit, name="standard_edit"),
    path("discretion/<int:pk>/publish/", edit_views.standard_publish, name="standard_publish"),
    path("discretion/<int:pk>/retire/", edit_views.standard_retire, name="standard_retire"),
    path("exemptions/new/", edit_views.exemption_edit, name="exemption_edit"),
    path("major-decisions/", views.major_rules, name="major_rules"),
    path("major-decisions/new/", edit_views.major_rule_create, name="major_rule_create"),
    path("major-decisions/<int:pk>/edit/", edit_views.major_rule_edit, name="major_rule_edit"),
    path("major-decisions/<int:pk>/retire/", edit_views.major_rule_retire, name="major_rule_retire"),
    path("import/", views.import_view, name="import"),
    path("export/<str:kind>.<str:fmt_name>", views.export_view, name="export"),
]
