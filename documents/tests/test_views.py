"""The template screens (administrator only) and the public verification page."""

import io

import pytest
from django.urls import reverse

from documents.models import TemplateStatus, TemplateVersion
from documents.services import document_issue
from documents.tests.conftest import DAY, decision_context
from org.mfa import force_login_verified


@pytest.fixture
def document(evidence_dir, officer, agency):
    return document_issue(
        actor=officer,
        kind="penalty_decision",
        context=decision_context(),
        subject_type="cases.case",
        subject_id=7,
        agency=agency,
        on=DAY,
    )


def pdf_bytes(document):
    from core.services.files import file_open

    with file_open(document.stored_file) as fh:
        return fh.read()


def test_the_public_page_shows_the_facts_but_no_personal_data(client, document):
    response = client.get(reverse("documents_public:verify", args=[document.verification_code]))

    body = response.content.decode()
    assert response.status_code == 200
    for shown in (document.number, "行政处罚决定书", "临安区自然资源局", "2026年3月5日", document.pdf_sha256):
        assert shown in body
    for hidden in ("张三", "330102199001011234", "锦城街道"):
        assert hidden not in body


def test_an_uploaded_copy_matches_or_not(client, document):
    url = reverse("documents_public:verify", args=[document.verification_code_display])
    original = pdf_bytes(document)

    same = client.post(url, {"file": io.BytesIO(original)}, format="multipart")
    altered = client.post(url, {"file": io.BytesIO(original + b"%tampered")}, format="multipart")

    assert 'id="match"' in same.content.decode()
    assert 'id="mismatch"' in altered.content.decode()


def test_an_unknown_code_is_a_404_and_a_corrected_document_says_so(client, document, officer, agency):
    assert client.get(reverse("documents_public:verify", args=["ABCDABCDABCD"])).status_code == 404
    correction = document_issue(
        actor=officer,
        kind="penalty_decision",
        context=decision_context(),
        subject_type="cases.case",
        subject_id=7,
        agency=agency,
        on=DAY,
        supersedes=document,
    )

    body = client.get(reverse("documents_public:verify", args=[document.verification_code])).content.decode()
    assert 'id="corrected"' in body and correction.number in body
    assert "badge-valid" in body.split('id="signature"')[1][:200]


def test_the_administrator_lists_edits_previews_and_activates(client, system_admin):
    force_login_verified(client, system_admin)
    base = TemplateVersion.objects.get(kind="stop_order", status=TemplateStatus.ACTIVE)

    assert "责令停止违法行为通知书" in client.get(reverse("documents:template_list")).content.decode()
    assert client.get(reverse("documents:template_kind", args=["stop_order"])).status_code == 200
    form = client.get(reverse("documents:version_new", args=["stop_order"]))
    assert form.status_code == 200 and "order_text" in form.content.decode()
    response = client.post(
        reverse("documents:version_new", args=["stop_order"]),
        {"body": base.body + "<p>特此通知。</p>", "note": "加特此通知", "from": base.pk},
    )
    draft = TemplateVersion.objects.get(kind="stop_order", version=2)
    assert response.status_code == 302 and draft.status == TemplateStatus.DRAFT
    preview = client.get(reverse("documents:version_preview", args=[draft.pk]))
    assert preview["Content-Type"] == "application/pdf" and preview["Content-Disposition"].startswith(
        "inline"
    )
    client.post(reverse("documents:version_activate", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.ACTIVE


def test_a_syntax_error_is_shown_on_the_form(client, system_admin):
    force_login_verified(client, system_admin)

    response = client.post(
        reverse("documents:version_new", args=["stop_order"]), {"body": "{% if x %}", "note": ""}
    )

    assert response.status_code == 400
    assert TemplateVersion.objects.filter(kind="stop_order").count() == 1


def test_a_refused_activation_shows_the_missing_elements(client, system_admin):
    force_login_verified(client, system_admin)
    base = TemplateVersion.objects.get(kind="stop_order", status=TemplateStatus.ACTIVE)
    body = base.body.replace("本机关责令你（单位）{{ order_text }}。", "")
    client.post(reverse("documents:version_new", args=["stop_order"]), {"body": body, "note": ""})
    draft = TemplateVersion.objects.get(kind="stop_order", version=2)

    response = client.post(reverse("documents:version_activate", args=[draft.pk]), follow=True)

    assert "责令" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.DRAFT


@pytest.mark.parametrize(
    "name,args",
    [
        ("documents:template_list", []),
        ("documents:template_kind", ["stop_order"]),
        ("documents:version_new", ["stop_order"]),
    ],
)
def test_a_non_administrator_gets_403(client, officer, name, args):
    client.force_login(officer)

    assert client.get(reverse(name, args=args)).status_code == 403


def test_a_non_administrator_cannot_preview_or_activate(client, officer):
    client.force_login(officer)
    version = TemplateVersion.objects.get(kind="stop_order", status=TemplateStatus.ACTIVE)

    assert client.get(reverse("documents:version_preview", args=[version.pk])).status_code == 403
    assert client.post(reverse("documents:version_activate", args=[version.pk])).status_code == 403


def test_the_long_verify_address_serves_the_same_page(client, document):
    short = client.get(f"/v/{document.verification_code}/")
    long = client.get(f"/verify/{document.verification_code}/")
    displayed = client.get(f"/verify/{document.verification_code_display}/")

    assert short.status_code == long.status_code == displayed.status_code == 200
    assert document.number in long.content.decode() and document.number in displayed.content.decode()
    assert client.get("/verify/ABCDABCDABCD/").status_code == 404


def test_the_public_page_links_nothing_about_the_case_or_the_party(client, document):
    import re

    body = client.get(f"/verify/{document.verification_code}/").content.decode()
    links = re.findall(r'(?:href|src|action)="([^"]*)"', body)
    for link in links:
        assert not link.startswith(("/cases", "/documents", "/api", "/org")), link
        assert document.subject_id not in link.split("/"), link
    for hidden in ("张三", "330102199001011234", "锦城街道", "cases.case"):
        assert hidden not in body


def test_the_qr_address_uses_the_public_base_url(evidence_dir, officer, agency, settings):
    from core.services.files import file_open
    from documents.tests.conftest import squash, text_of

    settings.ZHIFA_PUBLIC_BASE_URL = "https://zhifa.example.gov.cn/"
    document = document_issue(
        actor=officer,
        kind="penalty_decision",
        context=decision_context(),
        subject_type="cases.case",
        subject_id=8,
        agency=agency,
        on=DAY,
    )

    with file_open(document.stored_file) as fh:
        text = squash(text_of(fh.read()))
    assert f"https://zhifa.example.gov.cn/v/{document.verification_code}/" in text
