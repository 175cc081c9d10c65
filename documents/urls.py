from django.urls import path

from documents import export_views, officer_views, views

app_name = "documents"

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>/", views.template_kind, name="template_kind"),
    path("templates/<slug:kind>/new/", views.version_new, name="version_new"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/preview.pdf", views.version_preview, name="version_preview"),
    path("versions/<int:pk>/activate/", views.version_activate, name="version_activate"),
    path("seal/", views.seal_manage, name="seal"),
    path("issued/<int:pk>.pdf", officer_views.document_pdf, name="document_pdf"),
    path("exports/deadlines.xlsx", export_views.deadlines_xlsx, name="export_deadlines"),
    path("exports/documents.xlsx", export_views.documents_xlsx, name="export_documents"),
]
