from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from core.models import LedgerEntry
from org.selectors import visible_certificates
from training import selectors
from training.tests.conftest import bank

URL = reverse("training:manage")


def test_an_organiser_runs_training_from_the_screen(client, world):
    client.force_login(world.legal.user)
    today = timezone.localdate()
    assert (
        client.post(
            URL,
            {
                "action": "session",
                "title": "第二季度培训班",
                "subject": "土地管理法",
                "held_on": today.isoformat(),
                "hours": "3",
                "place": "会议室",
            },
        ).status_code
        == 302
    )
    session = selectors.sessions_for(world.legal.user).get()
    assert session.plan.sessions_planned == 4
    client.post(URL, {"action": "attendance", "session": session.pk, "present": [world.officer.pk]})
    present = {a.officer_id: a.present for a in session.attendance.all()}
    assert present[world.officer.pk] is True and present[world.colleague.pk] is False
    response = client.post(
        URL,
        {
            "action": "question",
            "subject": "土地管理法",
            "kind": "single",
            "text": "谁负责？",
            "options": "县级自然资源主管部门\n村委会",
            "answer": "1",
            "points": "10",
        },
    )
    assert response.status_code == 302
    question = selectors.questions_for(world.legal.user).get()
    assert question.answer == [0] and question.options == ["县级自然资源主管部门", "村委会"]
    response = client.post(
        URL,
        {
            "action": "exam",
            "title": "纸质考试",
            "subject": "土地管理法",
            "mode": "paper",
            "opens_at": (today - dt.timedelta(days=1)).isoformat() + "T09:00",
            "closes_at": today.isoformat() + "T11:00",
        },
    )
    assert response.status_code == 302
    exam = selectors.exams_for(world.legal.user).get(title="纸质考试")
    for score in ("40", "50"):
        exam2 = exam if score == "40" else None
        if exam2 is None:
            client.post(
                URL,
                {
                    "action": "exam",
                    "title": "补考",
                    "subject": "土地管理法",
                    "mode": "paper",
                    "opens_at": today.isoformat() + "T09:00",
                    "closes_at": today.isoformat() + "T11:00",
                },
            )
            exam2 = selectors.exams_for(world.legal.user).get(title="补考")
        client.post(
            URL, {"action": "paper_score", "exam": exam2.pk, "officer": world.officer.pk, "score": score}
        )
    assert visible_certificates(None).get(pk=world.certificate.pk).status == "suspended"
    client.post(
        URL,
        {
            "action": "review",
            "officer": world.officer.pk,
            "year": today.year,
            "result": "failed",
            "note": "两次考试不合格",
        },
    )
    review = selectors.reviews_for(world.legal.user).get()
    assert (review.training_hours, review.exams_failed) == (3, 2)
    page = client.get(URL).content.decode()
    assert "第二季度培训班" in page and "谁负责？" in page and "补考" in page


def test_bad_input_is_refused_with_the_reason_and_kept(client, world):
    bank(world)
    client.force_login(world.head.user)
    response = client.post(
        URL,
        {
            "action": "exam",
            "title": "在线考试",
            "subject": "土地管理法",
            "mode": "online",
            "question_count": "9",
            "duration_minutes": "30",
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2026-01-01T10:00",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="在线考试"' in html and 'value="9"' in html and "notice-error" in html
    response = client.post(
        URL,
        {
            "action": "question",
            "subject": "x",
            "kind": "single",
            "text": "题",
            "options": "只有一个",
            "answer": "3",
            "points": "10",
        },
    )
    assert response.status_code == 422 and "只有一个" in response.content.decode()


def test_officers_cannot_organise(client, world):
    client.force_login(world.officer.user)
    before = LedgerEntry.objects.filter(act="auth.permission_denied").count()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "session", "title": "x"}).status_code == 403
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == before + 2
