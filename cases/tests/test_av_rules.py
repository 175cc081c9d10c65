"""The audio-video rules (records.AvRule, data) gate steps the workflows really have."""

from __future__ import annotations

import pytest

from cases.services.transitions import WORKFLOWS
from cases.workflow import execution as x
from cases.workflow.penalty import clean_delivery
from records.selectors import av_rules

pytestmark = pytest.mark.django_db


def sample_bodies() -> dict:
    """The request bodies the rule conditions read, cleaned as the action cleans them."""
    return {
        "deliver": clean_delivery({"method": "in_person", "delivered_on": "2026-03-02"}),
        "record_court_outcome": x.clean_court_outcome(
            {"subject": "orders", "outcome": "enforced", "decided_on": "2026-03-02", "measure": "demolition"}
        ),
    }


def test_every_default_av_rule_names_a_step_of_a_procedure_and_a_field_of_its_body():
    steps = {t.action for workflow in WORKFLOWS.values() for t in workflow.transitions}
    rules, bodies = list(av_rules()), sample_bodies()
    assert {r.code for r in rules} >= {"seizure", "demolition", "questioning_in_room", "on_site"}
    for rule in rules:
        assert rule.action in steps, (rule.code, rule.action)
        for key in rule.when:
            assert key in bodies[rule.action], (rule.code, key)


def test_seizure_and_demolition_are_required_on_the_court_enforcement_step():
    by_code = {r.code: r for r in av_rules()}
    assert (by_code["seizure"].action, by_code["seizure"].when) == (
        "record_court_outcome",
        {"measure": ["seizure"]},
    )
    assert (by_code["demolition"].action, by_code["demolition"].when) == (
        "record_court_outcome",
        {"measure": ["demolition"]},
    )
    assert by_code["seizure"].requirement == by_code["demolition"].requirement == "required"
    assert by_code["on_site"].action == "record_on_spot"
