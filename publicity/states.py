"""The one table of allowed publication moves, and what each move requires (for refusals)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from publicity.models import PublicationStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    # A decision revoked or changed before it was published is withdrawn from any unpublished
    # status: the draft never reaches the portal (publication_withdraw_for_case).
    S.DRAFT: frozenset({S.MASKED, S.WITHDRAWN}),
    S.MASKED: frozenset({S.APPROVED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.PUBLISHED, S.WITHDRAWN}),
    # The display period (setting publicity.display_years) ends: the decision leaves the portal
    # without a notice (publications_expire); it was not withdrawn, it served its time.
    S.PUBLISHED: frozenset({S.WITHDRAWN, S.EXPIRED}),
    S.WITHDRAWN: frozenset(),
    S.EXPIRED: frozenset(),
}

# Why a move into each status is refused from elsewhere: the rule and its basis.
RULES: dict[str, tuple[Any, str]] = {
    S.MASKED: (_("Only a draft can be masked."), "LEGAL.md §8"),
    S.APPROVED: (
        _("Only a masked text can be approved: personal data is removed before review."),
        "行政处罚法第五十条",
    ),
    S.PUBLISHED: (
        _("Only an approved publication can be published: a reviewer approves the masked text first."),
        "行政处罚法第四十八条",
    ),
    S.WITHDRAWN: (_("A withdrawn publication cannot be withdrawn again."), "行政处罚法第四十八条第二款"),
    S.EXPIRED: (_("Only a published decision reaches the end of its display period."), "LEGAL.md §8"),
}
