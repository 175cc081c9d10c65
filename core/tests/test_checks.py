"""`zhifa check` refuses a deployment whose ledger algorithms would make every write fail."""

from __future__ import annotations

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.checks import ledger_algorithms


def test_the_default_algorithms_pass():
    assert ledger_algorithms() == []


@pytest.mark.django_db
def test_an_unknown_hash_algorithm_is_an_error(settings):
    settings.ZHIFA_HASH_ALGORITHM = "md5"
    errors = ledger_algorithms()
    assert [(type(e), e.id) for e in errors] == [(Error, "core.E001")] and "md5" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"core\.E001"):
        call_command("check")


def test_an_unknown_signature_algorithm_is_an_error(settings):
    settings.ZHIFA_SIGNATURE_ALGORITHM = "rsa"
    errors = ledger_algorithms()
    assert [(type(e), e.id) for e in errors] == [(Error, "core.E002")] and "rsa" in errors[0].msg
