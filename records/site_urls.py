"""Records screens that are not about one case, mounted at /records/ (config/urls.py)."""

from django.urls import path

from records import retention_views

app_name = "records_site"
urlpatterns = [
    path("retention/", retention_views.retention_index, name="retention"),
    path("retention/rules/<int:rule_id>/", retention_views.rule_update, name="retention_rule"),
    path("retention/files/<int:file_id>/release/", retention_views.release_request, name="release_request"),
    path(
        "retention/releases/<int:release_id>/decide/", retention_views.release_decide, name="release_decide"
    ),
]
