"""Demo follow-ups: the job over the demo's closed cases and granted licences, one questionnaire
answered online through its signed link and one recorded after a phone call. Through the followups
services only."""

from __future__ import annotations

import datetime as dt
from typing import Any


def load(loader: Any) -> str | None:
    from followups import selectors, services

    county = loader.agencies["county"]
    if selectors.followups_filtered(actor=None).filter(agency_id=county.pk).exists():
        return None
    today: dt.date = loader.today
    # Look ahead so that the demo's recent events already have their follow-up open.
    result = services.followups_run(today=today)
    followups = list(selectors.followups_filtered(actor=None).filter(agency_id=county.pk).order_by("pk"))
    answered = 0
    if followups:
        services.answer_submit(
            token=services.questionnaire_token(followups[0]),
            satisfaction="satisfied",
            rectification="done",
            conduct="proper",
            opinion="执法人员讲解政策耐心细致。",
        )
        answered += 1
    if len(followups) > 1:
        officer = followups[1].officer or loader.officers["hejun"].user
        services.answer_record(
            actor=officer,
            followup=followups[1],
            answered_by="phone",
            satisfaction="very_satisfied",
            rectification="not_applicable",
            conduct="proper",
            opinion="",
        )
        answered += 1
    return f"事后回访：安排 {result['created']} 项回访，已回访 {answered} 项。"
