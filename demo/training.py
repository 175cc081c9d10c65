"""Demo training of the county bureau: this year's plan (quarterly), a session with attendance, a
question bank on land law, an online exam open for a week (every officer may take it), and a paper exam
with its scores entered (黄磊 failed once: a retake is due)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

SUBJECT = "土地管理法律法规"
ONLINE_TITLE = "执法人员闭卷考试（土地管理）"
PAPER_TITLE = "第一季度执法培训考试（纸质）"

# (kind, question, options, answer, points) — objective only, so that an answer is scored at once.
QUESTIONS: list[tuple[str, str, list[str], Any, int]] = [
    (
        "single",
        "未经批准非法占用土地的，由哪一级自然资源主管部门责令退还非法占用的土地？",
        ["县级以上人民政府自然资源主管部门", "乡镇人民政府", "村民委员会"],
        [0],
        10,
    ),
    (
        "single",
        "行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，应当在几日内送达？",
        ["七日", "十五日", "三十日"],
        [0],
        10,
    ),
    ("single", "执法人员在调查或者进行检查时，人数不得少于几人？", ["一人", "两人", "三人"], [1], 10),
    (
        "multiple",
        "下列哪些属于《行政处罚法》规定的行政处罚种类？",
        ["警告、通报批评", "罚款、没收违法所得", "责令停产停业", "记过处分"],
        [0, 1, 2],
        10,
    ),
    (
        "multiple",
        "作出重大执法决定前，法制审核应当审核哪些内容？",
        ["执法主体是否合法", "程序是否合法", "适用法律是否准确", "当事人的经济状况"],
        [0, 1, 2],
        10,
    ),
    ("true_false", "当事人有权进行陈述和申辩，行政机关不得因当事人申辩而给予更重的处罚。", [], True, 10),
    ("true_false", "违法行为在五年内未被发现的，不再给予行政处罚。", [], False, 10),
    ("true_false", "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。", [], True, 10),
    ("single", "听证应当在举行听证的几日前通知当事人？", ["三日", "七日", "十日"], [1], 10),
    ("true_false", "执法人员与案件有直接利害关系的，应当回避。", [], True, 10),
]


def load(loader: Any) -> str | None:
    from training import selectors, services

    county = loader.agencies["county"]
    legal = loader.officers["lina"].user
    head = loader.officers["wangqiang"].user
    if selectors.exams_for(None).filter(agency_id=county.pk, title=ONLINE_TITLE).exists():
        return None
    today = loader.today
    plan = services.plan_create(
        actor=legal, agency=county, year=today.year, title=f"{today.year}年度执法人员培训计划"
    )
    session = services.session_record(
        actor=legal,
        plan=plan,
        title="第一季度执法培训班",
        subject=SUBJECT,
        held_on=max(dt.date(today.year, 1, 1), today - dt.timedelta(days=20)),
        hours="4",
        place="局三楼会议室",
    )
    present = [
        o.pk
        for u, o in loader.officers.items()
        if o.agency_id == county.pk and u not in ("sysadmin", "secadmin", "auditadmin", "zhoujie")
    ]
    services.attendance_record(
        actor=legal, session=session, present_ids=present, absent_ids=[loader.officers["zhoujie"].pk]
    )
    for kind, text, options, answer, points in QUESTIONS:
        services.question_add(
            actor=legal,
            agency=county,
            subject=SUBJECT,
            kind=kind,
            text=text,
            options=options,
            answer=answer,
            points=points,
        )
    services.question_add(
        actor=legal,
        agency=county,
        subject="行政处罚法（简答）",
        kind="short",
        points=20,
        text="简述适用简易程序当场作出行政处罚决定的条件。",
        answer="违法事实确凿并有法定依据，对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告",
    )
    now = timezone.now()
    services.exam_create(
        actor=head,
        agency=county,
        title=ONLINE_TITLE,
        subject=SUBJECT,
        mode="online",
        question_count=5,
        duration_minutes=30,
        session=session,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    paper = services.exam_create(
        actor=head,
        agency=county,
        title=PAPER_TITLE,
        subject=SUBJECT,
        mode="paper",
        session=session,
        opens_at=now - dt.timedelta(days=15),
        closes_at=now - dt.timedelta(days=14),
    )
    for username, score in (("liuyang", 86), ("chenjing", 78), ("xuli", 91), ("huanglei", 52)):
        services.paper_score_enter(
            actor=head, exam=paper, officer_id=loader.officers[username].pk, score=score
        )
    return (
        "培训与考试：年度计划、1 期培训班及签到、11 道题的题库、"
        "1 场开放一周的在线闭卷考试、1 场已录入成绩的纸质考试"
    )
