"""Mounted at /cases/<int:case_id>/records/ (config/urls.py)."""

from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("", views.records_home, name="records_home"),
    path("new/<slug:kind>/", views.record_new, name="record_new"),
    path("<int:record_id>/", views.record_detail, name="record_detail"),
    path("<int:record_id>/correct/", views.record_correct, name="record_correct"),
    path("files/", views.file_upload, name="file_upload"),
    path("files/<int:file_id>/download/", views.file_download, name="file_download"),
    path("uploads/", views.upload_start, name="upload_start"),
    path("uploads/<uuid:token>/", views.upload_chunk, name="upload_chunk"),
    path("uploads/<uuid:token>/complete/", views.upload_finish, name="upload_finish"),
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("evidence/<int:item_id>/exclusion/", views.evidence_toggle, name="evidence_toggle"),
    path("verify/", views.evidence_verification, name="verify"),
    path("av-rules/", views.av_rules, name="av_rules"),
    path("archive/", views.archive_build, name="archive_build"),
    path("archive/<int:package_id>/download/", views.archive_download, name="archive_download"),
]
