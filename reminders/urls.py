from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_list, name="index"),
    path("<int:pk>/", views.reminder_detail, name="detail"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/letter/", views.task_letter, name="task_letter"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule"),
    path("settings/", views.settings_edit, name="settings"),
]
