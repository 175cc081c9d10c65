"""Case steps (workflow actions) that records and files are tied to, with their Chinese labels.

The penalty workflow's actions plus the on-site steps the audio-video rules name (查封扣押 `seize`,
强制拆除 `demolish`, 现场执法 `on_site`), which may later become workflow actions of their own.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

STEP_LABELS = {
    "check": _("preliminary check"),
    "register": _("registration"),
    "investigate": _("investigation and evidence collection"),
    "on_site": _("on-site enforcement"),
    "seize": _("sealing up or seizure"),
    "report": _("investigation report"),
    "notify": _("prior notice"),
    "record_statement": _("statement and defence"),
    "hold_hearing": _("hearing"),
    "decide": _("decision"),
    "deliver": _("delivery"),
    "execute": _("execution"),
    "demolish": _("forced demolition"),
}

STEP_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def step_label(action: str) -> str:
    label = STEP_LABELS.get(action)
    return f"{label}" if label else action


def step_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in STEP_LABELS.items()]
