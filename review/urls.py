from django.urls import path

from review import views

app_name = "review"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("cases/<int:case_id>/submit/", views.submit, name="submit"),
    path("cases/<int:case_id>/deliberation/", views.deliberation, name="deliberation"),
    path("cases/<int:case_id>/risk-assessment/", views.risk_assessment, name="risk_assessment"),
    path("risk-assessments/<int:pk>/approve/", views.risk_assessment_approve, name="risk_assessment_approve"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/", views.conclude, name="conclude"),
]
