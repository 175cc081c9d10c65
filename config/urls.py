from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("org/", include("org.urls")),
    path("catalog/", include("catalog.urls")),
    path("api/v1/", include("api.urls")),
    path("django-admin/", admin.site.urls),
]
