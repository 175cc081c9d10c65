from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.lead_new, name="lead_new"),
    path("summary/new/", views.summary_new, name="summary_new"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/actions/<slug:action>/", views.case_action, name="case_action"),
    path("<int:case_id>/parties/", views.party_new, name="party_add"),
    path("<int:case_id>/officers/", views.officer_assign, name="officer_assign"),
]
