from django.urls import URLPattern, path

from org.views import agencies, auth, officers

app_name = "org"
urlpatterns: list[URLPattern] = [
    # Login, two-step verification, logout, password (org.views.auth).
    path("login/", auth.login_view, name="login"),
    path("login/verify/", auth.verify_view, name="login_verify"),
    path("mfa/", auth.enrol_view, name="mfa_enrol"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_change_view, name="password_change"),
    # Organisation screens (org.views.agencies, org.views.officers).
    path("", agencies.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", agencies.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/departments/new/", agencies.department_create, name="department_create"),
    path("agencies/<int:pk>/children/new/", agencies.agency_create_child, name="agency_create_child"),
    path("agencies/<int:pk>/edit/", agencies.agency_edit, name="agency_edit"),
    path("departments/<int:pk>/edit/", agencies.department_edit, name="department_edit"),
    path("fields/", agencies.field_list, name="field_list"),
    path("fields/<int:pk>/edit/", agencies.field_edit, name="field_edit"),
    path("settings/legal-reviewer-ratio/", agencies.legal_reviewer_ratio_edit, name="legal_reviewer_ratio"),
    path("officers/", officers.officer_list, name="officer_list"),
    path("officers/new/", officers.officer_create, name="officer_create"),
    path("officers/<int:pk>/", officers.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/edit/", officers.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/deactivate/", officers.officer_deactivate, name="officer_deactivate"),
    path("officers/<int:pk>/reactivate/", officers.officer_reactivate, name="officer_reactivate"),
    path("officers/<int:pk>/mfa/reset/", officers.officer_mfa_reset, name="officer_mfa_reset"),
    path("officers/<int:pk>/transfer/", officers.officer_transfer, name="officer_transfer"),
    path("officers/<int:pk>/roles/<str:action>/", officers.officer_role, name="officer_role"),
    path("officers/<int:pk>/certificates/new/", officers.certificate_issue, name="certificate_issue"),
    path("officers/<int:pk>/qualifications/new/", officers.qualification_record, name="qualification_record"),
    path("certificates/<int:pk>/renew/", officers.certificate_renew, name="certificate_renew"),
    path("certificates/<int:pk>/<str:action>/", officers.certificate_change, name="certificate_change"),
]
