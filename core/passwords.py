from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.services.ledger import ledger_append


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols (等保 password complexity)."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _("The password must mix at least three of: lower-case letters, upper-case letters, "
                  "digits and symbols."),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Use at least three of: lower-case letters, upper-case letters, digits and symbols.")


def password_change(*, actor: Any, user: Any, new_password: str) -> Any:
    """Set a new password after the configured validators accept it; the change is a ledger act."""
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            _("The new password does not meet the password rules: %(reasons)s")
            % {"reasons": " ".join(exc.messages)},
            code="password_too_weak",
            field_errors={"new_password1": exc.messages},
        ) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        # The hash never goes into the ledger; only the fact and who did it.
        ledger_append(actor=actor, act="auth.password_changed", obj=user, payload={"self": actor == user})
    return user
