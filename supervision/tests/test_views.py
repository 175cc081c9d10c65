"""The supervision screens: dashboard with drill-down and exports, deadline watch and 督办 forms,
review, assessment (a formula error shown on the form, input kept), targets, consistency, and who may
see and do what."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.tests.factories import new_case, walk
from core.models import Deadline, LedgerEntry
from supervision import services
from supervision.models import AssessmentRun, Indicator, ReviewSample, SupervisionOrder


def login(client, officer):
    client.force_login(officer.user)
    return client


def test_dashboard_charts_drill_and_export(client, sup):
    case = walk(new_case(sup.world), sup.world, "closed")
    login(client, sup.world.head)
    r = client.get(reverse("supervision:index"))
    assert r.status_code == 200
    html = r.content.decode()
    for key in ("workload", "overdue", "outcomes", "fines", "review", "ranking"):
        assert f'id="chart-{key}"' in html
    assert "vendor/echarts/echarts.min.js" in html and 'id="supervision-charts"' in html
    # follow the "closed" number of the outcomes chart to its records
    r = client.get(reverse("supervision:drill", args=["outcomes"]), {"key": "status:closed"})
    assert r.status_code == 200 and case.case_number in r.content.decode()
    r = client.get(reverse("supervision:drill", args=["fines"]), {"key": f"month:{case.decided_on:%Y-%m}"})
    assert case.case_number in r.content.decode()
    r = client.get(reverse("supervision:export", args=["fines"]))
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][0] == f"{case.decided_on:%Y-%m}" and rows[3][1] == 5000.0


def test_legal_reviewer_ratio_warns_when_short(client, sup):
    login(client, sup.world.head)
    html = client.get(reverse("supervision:index")).content.decode()
    # 6 enforcement staff incl. one legal reviewer: 5 % of 6 → 1 required, met
    assert "badge-valid" in html
    sup.reviewer.role_assignments.all().delete()
    html = client.get(reverse("supervision:index")).content.decode()
    assert "notice-warning" in html


def test_officer_and_sibling_head_may_not_open_the_dashboard(client, sup):
    login(client, sup.world.officer1)
    assert client.get(reverse("supervision:index")).status_code == 403
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor=sup.world.officer1.user).exists()


def test_watch_lists_overdue_with_responsible_and_issues_order(client, sup):
    case = new_case(sup.world)
    late = Deadline.objects.filter(subject_id=str(case.pk)).first()
    if late is None:
        from core.services.clock import deadline_start

        late = deadline_start(
            actor=None,
            subject=sup.county,
            agency_id=sup.county.pk,
            kind="test.kind",
            title="测试期限",
            legal_basis="测试",
            unit="calendar_days",
            amount=1,
            start_date=timezone.localdate() - datetime.timedelta(days=10),
            responsible=sup.world.officer1.user,
        )
    Deadline.objects.filter(pk=late.pk).update(
        status=Deadline.Status.OVERDUE, responsible=sup.world.officer1.user
    )
    # the supervisor above sees the county's overdue deadline with the responsible officer
    login(client, sup.supervisor)
    html = client.get(reverse("supervision:watch"), {"status": "overdue"}).content.decode()
    assert late.title in html and "李执法" in html
    url = reverse("supervision:order_new") + f"?deadline={late.pk}"
    r = client.post(url, {"addressee": "", "requirement": "", "workdays": "0"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    r = client.post(
        url, {"addressee": sup.world.officer1.pk, "requirement": "说明超期原因并限期办结", "workdays": "3"}
    )
    order = SupervisionOrder.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("supervision:order_detail", args=[order.pk])
    assert order.deadline_id == late.pk and order.agency_id == sup.county.pk
    # the addressee answers on the order page, the supervisor concludes
    client.force_login(sup.world.officer1.user)
    r = client.post(reverse("supervision:order_detail", args=[order.pk]), {"act": "respond", "response": ""})
    assert "errorlist" in r.content.decode()
    client.post(
        reverse("supervision:order_detail", args=[order.pk]), {"act": "respond", "response": "已于今日办结"}
    )
    login(client, sup.supervisor)
    client.post(
        reverse("supervision:order_detail", args=[order.pk]),
        {"act": "conclude", "accepted": "1", "conclusion": "同意"},
    )
    order.refresh_from_db()
    assert order.status == "accepted"


def test_sibling_head_cannot_issue_in_another_county(client, sup):
    case = new_case(sup.world)
    login(client, sup.sibling_head)
    assert client.get(reverse("supervision:order_new") + f"?case={case.pk}").status_code == 404


def test_supervisor_cannot_score_or_run_in_subordinate_agency(client, sup):
    walk(new_case(sup.world), sup.world, "closed")
    sample = services.sample_draw(
        actor=sup.reviewer.user,
        agency_id=sup.county.pk,
        closed_from=datetime.date(2020, 1, 1),
        closed_to=timezone.localdate(),
        size=1,
    )
    login(client, sup.supervisor)
    url = reverse("supervision:score", args=[sample.pk, sample.case_ids[0]])
    html = client.get(url).content.decode()
    assert 'name="deduction"' not in html
    r = client.post(url, {"act": "score", "deduction": ["procedure:late"]})
    assert 'class="notice notice-error"' in r.content.decode()
    assert not sample.scores.exists()
    r = client.post(
        reverse("supervision:assessment"),
        {"act": "run", "level": "department", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    assert r.status_code == 200 and not AssessmentRun.objects.exists()


def test_formula_error_is_shown_and_input_kept(client, sup):
    login(client, sup.world.head)
    r = client.post(
        reverse("supervision:assessment"),
        {
            "act": "indicator",
            "code": "broken",
            "name": "坏公式",
            "formula": "closed_on_time // closed",
            "weight": "10",
            "direction": "higher",
            "active": "on",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and "closed_on_time // closed" in html and "errorlist" in html
    assert not Indicator.objects.filter(code="broken").exists()
    r = client.post(
        reverse("supervision:assessment"),
        {
            "act": "indicator",
            "code": "clean",
            "name": "合格率",
            "formula": "autoreview_clean / autoreview_checked",
            "weight": "10",
            "direction": "higher",
            "active": "on",
        },
    )
    assert r.status_code == 302 and Indicator.objects.filter(code="clean").exists()


def test_review_score_and_return_for_correction_pages(client, sup):
    case = walk(new_case(sup.world), sup.world, "closed")
    services.autoreview_run(actor=None)
    login(client, sup.reviewer)
    html = client.get(reverse("supervision:review")).content.decode()
    assert case.case_number in html
    r = client.post(
        reverse("supervision:sample_new"),
        {
            "closed_from": "2020-01-01",
            "closed_to": timezone.localdate().isoformat(),
            "size": "5",
            "seed": "9",
        },
    )
    sample = ReviewSample.objects.get()
    assert r.status_code == 302 and sample.seed == 9
    url = reverse("supervision:score", args=[sample.pk, case.pk])
    html = client.get(url).content.decode()
    assert "行政处罚法 Art.47" in html and "badge-overdue" in html  # findings shown with their basis
    r = client.post(url, {"act": "correct", "requirement": "补充询问笔录", "workdays": "5"})
    order = SupervisionOrder.objects.get()
    assert order.kind == "correction" and order.addressee == sup.world.officer1 and r.status_code == 302
    r = client.post(url, {"act": "score", "deduction": ["facts:record_defect"], "comment": "笔录缺失"})
    assert r.status_code == 302 and sample.scores.get().score == 95


def test_targets_page_and_home_panel(client, sup):
    login(client, sup.world.head)
    today = timezone.localdate()
    r = client.post(
        reverse("supervision:targets"),
        {
            "subject": f"o{sup.world.officer1.pk}",
            "metric": "closed",
            "target": "2",
            "period_start": (today - datetime.timedelta(days=10)).isoformat(),
            "period_end": (today + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert r.status_code == 302
    client.force_login(sup.world.officer1.user)
    html = client.get(reverse("core:home")).content.decode()
    assert "progress" in html and "0%" in html


def test_consistency_page(client, sup):
    walk(new_case(sup.world), sup.world, "closed")
    login(client, sup.world.head)
    r = client.get(reverse("supervision:consistency"))
    assert r.status_code == 200


@pytest.mark.parametrize("name", ["watch", "orders", "review", "assessment", "targets", "consistency"])
def test_pages_open_for_supervisor(client, sup, name):
    login(client, sup.supervisor)
    assert client.get(reverse(f"supervision:{name}")).status_code == 200
