from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("drill/<slug:chart>/", views.drill, name="drill"),
    path("export/<slug:chart>.xlsx", views.export, name="export"),
    path("deadlines/", views.watch, name="watch"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("cases/<int:case_id>/duban/", views.case_duban, name="case_duban"),
    path("review/", views.review, name="review"),
    path("review/sheet/", views.sheet_edit, name="sheet"),
    path("review/run/", views.review_run, name="review_run"),
    path("review/samples/new/", views.sample_new, name="sample_new"),
    path("review/samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("review/samples/<int:pk>/<int:case_id>/", views.score_case, name="score"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/<int:pk>/", views.run_detail, name="run_detail"),
    path("targets/", views.targets, name="targets"),
    path("consistency/", views.consistency, name="consistency"),
]
