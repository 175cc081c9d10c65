from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("", views.followup_list, name="index"),
    path("<int:pk>/", views.followup_detail, name="detail"),
    path("<int:pk>/questionnaire.pdf", views.followup_pdf, name="pdf"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule"),
]
