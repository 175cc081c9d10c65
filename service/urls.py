from django.urls import path

from service import config_views, views

app_name = "service"

urlpatterns = [
    path("", views.index, name="index"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/attachments/<int:att>/", views.attachment, name="attachment"),
    path("overdue/", views.overdue, name="overdue"),
    path("licences/", views.licence_list, name="licences"),
    path("licences/<int:pk>/", views.licence_detail, name="licence"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("patrols/", views.patrol_list, name="patrols"),
    path("draws/", views.draw_list, name="draws"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("settings/kinds/", config_views.kind_list, name="kinds"),
    path("settings/kinds/new/", config_views.kind_edit, name="kind_new"),
    path("settings/kinds/<int:pk>/", config_views.kind_edit, name="kind"),
    path("settings/frequencies/", config_views.frequencies, name="frequencies"),
]
