from django.urls import path

from publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/", views.agencies, name="agencies"),
    path("staff/", views.staff, name="staff"),
    path("powers/", views.powers, name="powers"),
    path("powers/<int:pk>/", views.power_detail, name="power_detail"),
    path("standards/", views.standards, name="standards"),
    path("remedies/", views.remedies, name="remedies"),
    path("procedures/", views.procedures, name="procedures"),
    path("certificates/", views.certificate_check, name="certificate_check"),
    path("certificates/<str:number>/qr.svg", views.certificate_qr, name="certificate_qr"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<uuid:public_id>/", views.decision_detail, name="decision_detail"),
    path("search/", views.search_page, name="search"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/decisions.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/decisions.json", views.open_data_json, name="open_data_json"),
    path("open-data/decisions.atom", views.open_data_atom, name="open_data_atom"),
    path("annual/", views.annual_list, name="annual"),
    path("annual/<int:pk>/", views.annual_detail, name="annual_detail"),
    path("annual/<int:pk>/report.<str:fmt>", views.annual_download, name="annual_download"),
    path("manage/annual/", views.annual_manage, name="annual_manage"),
    path("manage/annual/<int:pk>/", views.annual_manage_detail, name="annual_manage_detail"),
    path("violators/", views.violators_public, name="violators"),
    path("manage/violators/", views.violators_manage, name="violators_manage"),
    path("manage/violators/<int:pk>/", views.violator_manage_detail, name="violator_manage_detail"),
    path("manage/<int:pk>/", views.review, name="review"),
]
