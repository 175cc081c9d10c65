"""Demo supervision of the county bureau: the automatic review of its closed cases, a sample scored,
a 督办 from the city's supervisor, an assessment of the departments with its 通报, and responsibility
targets."""

from __future__ import annotations

import datetime as dt
from typing import Any


def load(loader: Any) -> str | None:
    from supervision import selectors, services

    county = loader.agencies["county"]
    head = loader.officers["wangqiang"].user
    if selectors.runs_visible(actor=None).filter(agency_id=county.pk).exists():
        return None
    today = loader.today
    year_start = dt.date(today.year, 1, 1) if today.month > 1 else today - dt.timedelta(days=60)
    checked = services.autoreview_run(actor=None, agency_id=county.pk)

    reviewer = loader.officers["lina"].user
    closed = selectors.closed_case_ids(agency_id=county.pk, closed_from=dt.date(2000, 1, 1), closed_to=today)
    if closed:
        sample = services.sample_draw(
            actor=reviewer,
            agency_id=county.pk,
            closed_from=dt.date(2000, 1, 1),
            closed_to=today,
            size=2,
            seed=20240501,
            title="年度行政处罚案卷评查（演示）",
        )
        services.score_record(
            actor=reviewer,
            sample=sample,
            case_id=sample.case_ids[0],
            deductions=[
                {"item": "documents", "deduction": "document_defect", "note": "送达回证未注明送达方式"}
            ],
            comment="整体规范，文书细节待改进。",
        )

    # the city's supervisor 督办 an overdue deadline of the county (or a case, if none is overdue)
    supervisor = loader.officers["zhaomin"].user
    late = selectors.deadline_watch(actor=supervisor).first()
    case_id = None if late is not None else (closed[0] if closed else None)
    if late is not None or case_id is not None:
        addressee = loader.officers["zhangwei"]
        if late is not None and late.responsible_id:
            from org.selectors import officer_for

            addressee = officer_for(late.responsible) or addressee
        services.order_issue(
            actor=supervisor,
            agency_id=county.pk,
            addressee_id=addressee.pk,
            requirement="请于期限内说明逾期原因、目前进展及整改措施，并附相关材料。",
            workdays=5,
            deadline_id=late.pk if late is not None else None,
            case_id=case_id,
        )

    # the bureau publishes its ranking as a 通报 (seed 003): switched on before the run
    services.circular_setting_set(actor=head, enabled=True)
    run = services.assessment_run(
        actor=head, agency_id=county.pk, level="department", period_start=year_start, period_end=today
    )
    for username, metric, target in (("zhangwei", "closed", 6), ("liuyang", "registered", 8)):
        services.target_set(
            actor=head,
            agency_id=county.pk,
            metric=metric,
            target=target,
            period_start=year_start,
            period_end=dt.date(today.year, 12, 31),
            officer_id=loader.officers[username].pk,
            note="年度责任目标",
        )
    dept = loader.officers["zhangwei"].department_id
    if dept:
        services.target_set(
            actor=head,
            agency_id=county.pk,
            metric="closed_on_time",
            target=10,
            period_start=year_start,
            period_end=dt.date(today.year, 12, 31),
            department_id=dept,
            note="执法监察大队年度目标",
        )
    circular = "（印发通报）" if run.circular_document_id else ""
    return (
        f"执法监督：自动评查已结案件 {checked} 件，抽查评分 1 件，市局督办 1 件，"
        f"科室评议考核 1 次{circular}。"
    )
