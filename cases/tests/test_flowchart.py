"""The flowchart is drawn from the declaration: every state and every transition appears."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.core.management import call_command

from cases.workflow.flowchart import layers, render_svg
from cases.workflow.penalty import PENALTY

NS = "{http://www.w3.org/2000/svg}"


def test_every_state_and_transition_appears_in_the_svg():
    root = ET.fromstring(render_svg(PENALTY))
    states = {g.get("data-state") for g in root.iter(f"{NS}g") if g.get("data-state")}
    edges = {
        (g.get("data-action"), g.get("data-from"), g.get("data-to"))
        for g in root.iter(f"{NS}g")
        if g.get("data-action")
    }
    assert states == {s for s, _ in PENALTY.states}
    assert edges == {(t.action, s, t.target) for t in PENALTY.transitions for s in t.sources}


def test_labels_are_chinese(db):
    svg = render_svg(PENALTY)
    assert "立案" in svg


def test_initial_state_is_the_top_layer():
    rank = layers(PENALTY)
    assert rank[PENALTY.initial] == 0 and rank["archived"] == max(rank.values())


def test_command_writes_the_file(tmp_path, db):
    target = tmp_path / "penalty.svg"
    call_command("flowchart", "penalty", "-o", str(target))
    ET.fromstring(target.read_text(encoding="utf-8"))
