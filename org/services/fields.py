"""Fields of enforcement (执法领域): platform-wide reference data, kept by the system administrator."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import Conflict
from org import policies
from org.models import EnforcementField
from org.services._common import Problems, changes, record, snapshot

FIELD_FIELDS = ["code", "name", "active"]
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def enforcement_field_save(
    *, actor: Any, code: str, name: str, active: bool = True, field: EnforcementField | None = None
) -> EnforcementField:
    """Create a field of enforcement, or rename/(de)activate one. A code never changes once given
    (certificates and rules refer to it); a deactivated field is no longer offered on new
    certificates, existing certificates keep it."""
    policies.ensure(actor, "manage_enforcement_field", field)
    code, name = code.strip(), name.strip()
    problems = Problems()
    if field is not None and code != field.code:
        problems.add("code", _("The code of a field of enforcement cannot change (certificates refer to "
                               "it); create a new field and deactivate this one instead."))
    elif not CODE_RE.match(code):
        problems.add("code", _("The code is 1–32 lowercase letters, digits or underscores, starting "
                               "with a letter (for example land)."))
    elif field is None and EnforcementField.objects.filter(code=code).exists():
        problems.add("code", _("Code %(code)s is already used by another field of enforcement.")
                     % {"code": code})
    if not name:
        problems.add("name", _("The name of the field of enforcement is required."))
    elif len(name) > 50:
        problems.add("name", _("The name is at most 50 characters."))
    elif EnforcementField.objects.filter(name=name).exclude(pk=field.pk if field else 0).exists():
        problems.add("name", _("A field of enforcement named %(name)s already exists.") % {"name": name})
    problems.raise_if_any()
    with transaction.atomic():
        if field is None:
            try:
                with transaction.atomic():
                    saved = EnforcementField.objects.create(code=code, name=name, active=active)
            except IntegrityError:
                raise Conflict(_("Code %(code)s is already used by another field of enforcement.")
                               % {"code": code}, code="duplicate_field_code",
                               field_errors={"code": [_("Already used.")]}) from None
            record(actor=actor, act="org.enforcement_field_created", obj=saved, agency_id=None,
                   payload={"new": snapshot(saved, FIELD_FIELDS)})
            return saved
        saved = EnforcementField.objects.select_for_update().get(pk=field.pk)
        old = snapshot(saved, FIELD_FIELDS)
        saved.name, saved.active = name, active
        saved.save(update_fields=["name", "active"])
        diff = changes(old, snapshot(saved, FIELD_FIELDS))
        if diff:
            record(actor=actor, act="org.enforcement_field_updated", obj=saved, agency_id=None,
                   payload={"changes": diff})
    return saved
