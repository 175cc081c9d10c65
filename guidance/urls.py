from django.urls import URLPattern, path

from guidance import views

app_name = "guidance"

urlpatterns: list[URLPattern] = [
    path("", views.record_list, name="index"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("library/", views.library, name="library"),
    path("library/new/", views.case_new, name="case_new"),
    path("library/<int:pk>/", views.case_detail, name="case_detail"),
    path("inquiries/", views.inquiry_list, name="inquiries"),
    path("inquiries/new/", views.inquiry_new, name="inquiry_new"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("overdue/", views.first_contact_overdue, name="overdue"),
]
