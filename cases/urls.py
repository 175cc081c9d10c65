from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("todo/", views.my_todo, name="todo"),
    path("new/", views.lead_new, name="lead_new"),
    path("summary/new/", views.summary_new, name="summary_new"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/actions/<slug:action>/", views.case_action, name="case_action"),
    path("<int:case_id>/parties/", views.party_new, name="party_add"),
    path("<int:case_id>/officers/", views.officer_assign, name="officer_assign"),
    path("<int:case_id>/facts/", views.facts_edit, name="facts_edit"),
    path("<int:case_id>/payments/", views.payment_new, name="payment_add"),
    path(
        "<int:case_id>/deliveries/<int:delivery_id>/receipt-scan/",
        views.delivery_receipt_scan,
        name="delivery_receipt_scan",
    ),
    path("<int:case_id>/remedies/", views.remedy_new, name="remedy_add"),
    path("<int:case_id>/remedies/<int:remedy_id>/outcome/", views.remedy_outcome, name="remedy_outcome"),
    path("<int:case_id>/recusals/", views.recusal_new, name="recusal_add"),
    path("<int:case_id>/recusals/<int:recusal_id>/decision/", views.recusal_decide, name="recusal_decide"),
]
