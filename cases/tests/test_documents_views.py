"""Officers reach a case's documents: the list (number, kind, date, link) and the PDF download."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cases.models import CaseStatus
from cases.selectors import case_documents
from cases.tests.factories import new_case, walk


def test_case_documents_lists_number_kind_date_and_a_pdf_link(world):
    case = walk(new_case(world), world, CaseStatus.REGISTERED)

    documents = case_documents(case=case, actor=world.officer1.user)
    assert [d.kind for d in documents] == ["case_registration"]
    with translation.override("zh-hans"):
        html = render_to_string("cases/_documents.html", {"case_documents": documents})
    assert documents[0].number in html
    assert "立案审批表" in html
    assert reverse("documents:document_pdf", args=[documents[0].pk]) in html
    assert case_documents(case=case, actor=world.outsider.user) == []


def test_an_officer_of_the_agency_downloads_the_pdf_and_an_outsider_gets_404(client, world):
    case = walk(new_case(world), world, CaseStatus.REGISTERED)
    document = case_documents(case=case, actor=world.officer1.user)[0]
    url = reverse("documents:document_pdf", args=[document.pk])

    assert client.get(url).status_code == 302  # login first
    client.force_login(world.officer1.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    import hashlib

    assert hashlib.sha256(body).hexdigest() == document.pdf_sha256
    client.force_login(world.outsider.user)
    assert client.get(url).status_code == 404


def test_the_empty_list_says_so():
    with translation.override("en"):
        html = render_to_string("cases/_documents.html", {"case_documents": []})
    assert "No document has been issued for this case yet." in html


def test_the_case_page_lists_the_case_documents(client, world):
    case = walk(new_case(world), world, CaseStatus.REGISTERED)
    document = case_documents(case=case, actor=world.officer1.user)[0]

    client.force_login(world.officer1.user)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="documents"' in html
    assert document.number in html
    assert reverse("documents:document_pdf", args=[document.pk]) in html
