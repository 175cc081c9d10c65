"""Signals other apps answer without cases importing them.

`decision_enclosures` is sent (sender=Case, case, actor) while the delivery of a decision is being
recorded, inside its transaction, before the 送达回证 is issued. A receiver may create what goes to
the party with the decision and returns one line naming it (or "" for nothing); the lines are noted
on the receipt. The follow-up app answers with the 回访意见表 (seed 000 事后回访). A receiver that
raises aborts the delivery, so receivers must refuse only for a reason the officer can act on.
"""

from __future__ import annotations

from django.dispatch import Signal

decision_enclosures = Signal()
