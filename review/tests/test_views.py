"""The review screens: each role reaches its page, refusals appear on the form, phones get the same page."""

import pytest
from django.urls import reverse

from review import selectors, services
from review.models import LegalReview
from review.tests.factories import reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(case, handlers):
    return services.legal_review_submit(actor=handlers[0].user, case_id=case.pk)


def test_reviewer_todo_lists_the_pending_round(client, pending, qualified_reviewer):
    client.force_login(qualified_reviewer)
    response = client.get(reverse("review:todo"))
    assert response.status_code == 200
    assert reverse("review:conclude", args=[pending.pk]) in response.text


def test_head_sees_the_round_to_assign_and_assigns(client, pending, head, qualified_reviewer):
    client.force_login(head)
    assert reverse("review:assign", args=[pending.pk]) in client.get(reverse("review:todo")).text
    response = client.post(reverse("review:assign", args=[pending.pk]), {"reviewer": qualified_reviewer.pk})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.reviewer_id == qualified_reviewer.pk


def test_conclude_form_shows_the_seven_points_and_records_the_opinion(
    client, case, pending, qualified_reviewer
):
    client.force_login(qualified_reviewer)
    page = client.get(reverse("review:conclude", args=[pending.pk]))
    assert page.status_code == 200 and page.text.count("<fieldset") == 7
    data = {
        p: "compliant"
        for p in (
            "competent_body",
            "procedure",
            "facts_evidence",
            "law_discretion",
            "within_powers",
            "documents",
        )
    }
    data.update(crime_transfer="not_applicable", opinion="pass")
    assert client.post(reverse("review:conclude", args=[pending.pk]), data).status_code == 302
    assert selectors.legal_review_status(case_id=case.pk) == "passed"


def test_conclude_form_shows_the_art58_refusal(client, agency, pending):
    novice = reviewer(agency=agency, qualified=False).user
    client.force_login(novice)
    data = {
        p: "compliant"
        for p in (
            "competent_body",
            "procedure",
            "facts_evidence",
            "law_discretion",
            "within_powers",
            "documents",
        )
    }
    data.update(crime_transfer="not_applicable", opinion="pass")
    response = client.post(reverse("review:conclude", args=[pending.pk]), data)
    assert response.status_code == 400
    assert "第五十八条" in response.text and "法律职业资格" in response.text
    assert not LegalReview.objects.exclude(opinion="").exists()


def test_conclude_form_marks_unanswered_points(client, pending, qualified_reviewer):
    client.force_login(qualified_reviewer)
    response = client.post(reverse("review:conclude", args=[pending.pk]), {"opinion": "pass"})
    assert response.status_code == 400
    assert response.text.count('class="field has-error"') >= 7


def test_an_officer_gets_403_on_the_review_form(client, pending, handlers):
    client.force_login(handlers[0].user)
    assert client.get(reverse("review:conclude", args=[pending.pk])).status_code == 403


def test_deliberation_form_records(client, case, heads):
    client.force_login(heads[0].user)
    url = reverse("review:deliberation", args=[case.pk])
    assert client.get(url).status_code == 200
    data = {
        "held_on": "2026-01-05",
        "chaired_by": heads[0].user.pk,
        "attendees": [heads[0].user.pk, heads[1].user.pk],
        "conclusion": "同意处罚",
        f"opinion_{heads[0].user.pk}": "同意",
        f"opinion_{heads[1].user.pk}": "同意",
    }
    assert client.post(url, data).status_code == 302
    assert selectors.deliberation_status(case_id=case.pk) == "concluded"


def test_deliberation_form_shows_the_quorum_refusal(client, case, heads):
    client.force_login(heads[0].user)
    data = {
        "held_on": "2026-01-05",
        "chaired_by": heads[0].user.pk,
        "attendees": [heads[0].user.pk],
        "conclusion": "同意处罚",
        f"opinion_{heads[0].user.pk}": "同意",
    }
    response = client.post(reverse("review:deliberation", args=[case.pk]), data)
    assert response.status_code == 400 and "第五十七条" in response.text


def test_risk_assessment_form_records_and_a_head_approves(client, case, handlers, heads):
    client.force_login(handlers[0].user)
    url = reverse("review:risk_assessment", args=[case.pk])
    assert client.get(url).status_code == 200
    data = {
        d: "low"
        for d in ("legality", "integrity", "reasonableness", "feasibility", "safety", "controllability")
    }
    data["overall_level"] = "low"
    assert client.post(url, data).status_code == 302
    assessment = selectors.risk_assessments_for_case(case_id=case.pk, actor=heads[0].user).get()
    client.force_login(heads[0].user)
    client.post(reverse("review:risk_assessment_approve", args=[assessment.pk]))
    assert selectors.risk_assessment_status(case_id=case.pk) == "approved"


def test_risk_assessment_form_names_a_missing_dimension(client, case, handlers):
    client.force_login(handlers[0].user)
    data = {d: "low" for d in ("legality", "integrity", "reasonableness", "feasibility", "safety")}
    data["overall_level"] = "low"
    response = client.post(reverse("review:risk_assessment", args=[case.pk]), data)
    assert response.status_code == 400 and "新密国土资〔2013〕9号" in response.text


def test_submit_page_for_a_handler(client, case, handlers):
    client.force_login(handlers[0].user)
    url = reverse("review:submit", args=[case.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "请审核"}).status_code == 302
    assert selectors.legal_review_status(case_id=case.pk) == "pending"
