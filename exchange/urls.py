from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("schema/v1.json", views.schema_v1, name="schema"),
    path("export/", views.export, name="export"),
    path("batches/<int:pk>/", views.download, name="download"),
]
