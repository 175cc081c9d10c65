"""Gap-free document numbers (文书编号) per agency, year and document kind.

A number is taken inside the transaction of the act that uses it: the sequence row is locked
(`SELECT … FOR UPDATE`; on SQLite the IMMEDIATE transaction already holds the write lock) until that
transaction ends, so concurrent requests queue, and an act that rolls back gives its number back.
"""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PermissionDenied, ValidationFailed
from core.models import IssuedNumber, NumberPattern, NumberSequence
from core.services.ledger import ledger_append

DEFAULT_PATTERN = "{prefix}〔{year}〕{seq}号"
PLACEHOLDERS = frozenset({"prefix", "year", "seq", "kind"})
MAX_NUMBER_LENGTH = 120


class NumberingError(ValidationFailed):
    code = "numbering_invalid"


def _check_pattern(pattern: str) -> None:
    """Placeholders only from PLACEHOLDERS, `{seq}` required, a format spec only on seq and year."""
    if not pattern or len(pattern) > 120:
        raise NumberingError(
            _("A number pattern needs 1 to 120 characters, for example {prefix}罚〔{year}〕{seq}号."),
            code="number_pattern_invalid",
        )
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise NumberingError(
            _("The number pattern has unbalanced braces (%(error)s); write literal braces as {{ and }}.")
            % {"error": exc},
            code="number_pattern_invalid",
        ) from exc
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in PLACEHOLDERS or conversion:
            raise NumberingError(
                _(
                    "The number pattern uses the unknown placeholder {%(field)s}; allowed are "
                    "{prefix}, {year}, {seq} and {kind}."
                )
                % {"field": field},
                code="number_pattern_placeholder",
            )
        if spec and field not in {"seq", "year"}:
            raise NumberingError(
                _("Only {seq} and {year} may carry a format such as {seq:03d}."),
                code="number_pattern_placeholder",
            )
        names.append(field)
    if "seq" not in names:
        raise NumberingError(
            _("The number pattern must contain {seq}, the running number, e.g. {prefix}罚〔{year}〕{seq}号."),
            code="number_pattern_no_seq",
        )
    try:
        sample = pattern.format(prefix="X", year=2026, seq=1, kind="k")
    except (ValueError, TypeError) as exc:
        raise NumberingError(
            _("The number pattern cannot be formatted (%(error)s); use a format such as {seq:03d}.")
            % {"error": exc},
            code="number_pattern_invalid",
        ) from exc
    if len(sample) > MAX_NUMBER_LENGTH:
        raise NumberingError(
            _("Numbers made by this pattern would exceed %(max)d characters; shorten the pattern or prefix.")
            % {"max": MAX_NUMBER_LENGTH},
            code="number_pattern_invalid",
        )


def _check_kind(kind: str) -> None:
    if not kind or len(kind) > 60:
        raise NumberingError(
            _("A document kind needs 1 to 60 characters, e.g. penalty_decision."), code="number_kind_invalid"
        )


def number_pattern_set(
    *, actor: Any, agency_id: int, kind: str, pattern: str, prefix: str = ""
) -> NumberPattern:
    """Set how numbers of `kind` look for an agency (needs `core.change_numberpattern`)."""
    if actor is not None and not actor.has_perm("core.change_numberpattern"):
        raise PermissionDenied(
            _(
                "Only a system administrator may change number patterns (permission "
                "core.change_numberpattern); ask one to make this change."
            ),
            code="number_pattern_forbidden",
        )
    _check_kind(kind)
    if len(prefix) > 60:
        raise NumberingError(
            _("A number prefix may have at most 60 characters."), code="number_prefix_invalid"
        )
    _check_pattern(pattern)
    if len(pattern.format(prefix=prefix, year=2026, seq=1, kind=kind)) > MAX_NUMBER_LENGTH:
        raise NumberingError(
            _("Numbers made by this pattern would exceed %(max)d characters; shorten the pattern or prefix.")
            % {"max": MAX_NUMBER_LENGTH},
            code="number_pattern_invalid",
        )
    with transaction.atomic():
        existing = NumberPattern.objects.select_for_update().filter(agency_id=agency_id, kind=kind).first()
        before = {"pattern": existing.pattern, "prefix": existing.prefix} if existing else None
        if existing is None:
            existing = NumberPattern.objects.create(
                agency_id=agency_id, kind=kind, pattern=pattern, prefix=prefix
            )
        else:
            existing.pattern, existing.prefix = pattern, prefix
            existing.save(update_fields=["pattern", "prefix"])
        ledger_append(
            actor=actor,
            act="number.pattern_set",
            obj=existing,
            agency_id=agency_id,
            payload={"kind": kind, "before": before, "after": {"pattern": pattern, "prefix": prefix}},
        )
    return existing


def _default_prefix(agency_id: int) -> str:
    """The agency's short name (through core.scoping), or "" when org cannot say."""
    from core.scoping import agency_label

    try:
        return agency_label(agency_id).get("short_name", "") or ""
    except (ImportError, LookupError, AttributeError, ObjectDoesNotExist):
        return ""


def number_format(*, agency_id: int, kind: str, year: int, seq: int) -> str:
    """The number `seq` of `kind` in `year` as the agency's pattern (or the default) writes it."""
    configured = NumberPattern.objects.filter(agency_id=agency_id, kind=kind).first()
    if configured is not None:
        pattern, prefix = configured.pattern, configured.prefix
    else:
        pattern, prefix = DEFAULT_PATTERN, _default_prefix(agency_id)
    return pattern.format(prefix=prefix, year=year, seq=seq, kind=kind)


def number_take(
    *,
    agency_id: int,
    kind: str,
    year: int | None = None,
    obj: models.Model | None = None,
    actor: Any,
) -> IssuedNumber:
    """Take the next number of `kind` for the agency and year, in the caller's transaction.

    Refused outside a transaction (`transaction.atomic()`): the number must roll back with the
    act that uses it, or a failed act would leave a gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NumberingError(
            _(
                "A document number may only be taken inside the transaction of the act that uses it "
                "(numbers are gap-free); call number_take within transaction.atomic()."
            ),
            code="number_outside_transaction",
        )
    _check_kind(kind)
    if year is None:
        year = timezone.localdate().year
    if not 1900 <= year <= 9999:
        raise NumberingError(
            _("The year %(year)s is not a valid numbering year.") % {"year": year}, code="number_year_invalid"
        )
    # Create the row if this is the first number of the year (ON CONFLICT DO NOTHING waits for a
    # concurrent creator), then lock it for the rest of the caller's transaction.
    NumberSequence.objects.bulk_create(
        [NumberSequence(agency_id=agency_id, kind=kind, year=year, last_value=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(agency_id=agency_id, kind=kind, year=year)
    value = sequence.last_value + 1
    NumberSequence.objects.filter(pk=sequence.pk).update(last_value=value)
    number = number_format(agency_id=agency_id, kind=kind, year=year, seq=value)
    object_type, object_id = (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", "")
    issued = IssuedNumber.objects.create(
        agency_id=agency_id,
        kind=kind,
        year=year,
        value=value,
        number=number,
        object_type=object_type,
        object_id=object_id,
    )
    ledger_append(
        actor=actor,
        act="number.issued",
        obj=obj if obj is not None else issued,
        agency_id=agency_id,
        payload={"number": number, "kind": kind, "year": year, "value": value, "issued_number_id": issued.pk},
    )
    return issued
