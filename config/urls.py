from django.contrib import admin
from django.urls import include, path, re_path

from api.urls import not_found as api_not_found

urlpatterns = [
    path("", include("core.urls")),
    path("org/", include("org.urls")),
    path("catalog/", include("catalog.urls")),
    path("review/", include("review.urls")),
    path("cases/", include("cases.urls")),
    path("cases/<int:case_id>/records/", include("records.urls")),
    path("records/", include("records.site_urls")),  # retention and release (not about one case)
    path("gongkai/complaints/", include("complaints.public_urls")),  # public complaint form, no login
    path("gongkai/service/", include("service.public_urls")),  # 一网通办, random inspections
    path("gongkai/reminders/", include("reminders.public_urls")),  # by licence number + code
    path("gongkai/followups/", include("followups.public_urls")),  # the questionnaire behind a signed link
    path("gongkai/guidance/", include("guidance.public_urls")),  # typical cases, guidance methods
    path("gongkai/mediation/", include("mediation.public_urls")),  # mediation applications and progress
    path("gongkai/", include("publicity.urls")),  # public portal, no login
    path("complaints/", include("complaints.urls")),
    path("documents/", include("documents.urls")),
    path("service/", include("service.urls")),
    path("reminders/", include("reminders.urls")),
    path("followups/", include("followups.urls")),
    path("guidance/", include("guidance.urls")),
    path("mediation/", include("mediation.urls")),
    path("supervision/", include("supervision.urls")),
    path("training/", include("training.urls")),
    path("legal/", include("legal.urls")),
    path("exchange/", include("exchange.urls")),
    path("", include("documents.public_urls")),  # public document verification: /v/<code>/, /verify/<code>/
    path("api/v1/", include("api.urls")),
    re_path(r"^api/", api_not_found),  # any other /api/ address: JSON 404, never the HTML page
    path("django-admin/", admin.site.urls),
]

handler403 = "core.views.errors.permission_denied"  # records the denial in the ledger (once)
handler500 = "api.errors.handler500"  # JSON under /api/, the Chinese 500 page elsewhere
