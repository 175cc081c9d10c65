# ruff: noqa: F811  (pytest fixtures imported from core.testing)
import base64
import hashlib
import json
import shutil
import stat
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from django.test import override_settings

from core.errors import DomainError, ValidationFailed
from core.services.signing import (
    SigningUnavailable,
    fingerprint,
    public_key,
    sign,
    signing_key_ensure,
    verify_signature,
)
from core.testing import key_dir  # noqa: F401

pytestmark = pytest.mark.django_db  # creating a key is recorded in the ledger

try:
    import gmalglib  # noqa: F401

    HAVE_SM2 = True
except ImportError:
    HAVE_SM2 = False


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_given_no_key_when_ensured_then_files_created_private(key_dir):
    info = signing_key_ensure(key_name="330102")
    assert _mode(key_dir) == 0o700
    private, public = key_dir / "330102.ed25519.key", key_dir / "330102.ed25519.pub"
    assert _mode(private) == 0o600 and _mode(public) == 0o600
    assert public.read_text() == info.public_key_pem
    assert info.algorithm == "ed25519"
    der = serialization.load_pem_public_key(info.public_key_pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert info.fingerprint == hashlib.sha256(der).hexdigest() == fingerprint(info.public_key_pem)
    # a second call returns the same key
    assert signing_key_ensure(key_name="330102") == info
    assert public_key(key_name="330102") == info


def test_a_signature_verifies_only_for_the_same_data_and_key(key_dir):
    info = signing_key_ensure(key_name="a")
    other = signing_key_ensure(key_name="b")
    signature = sign("a", "账本头 #12".encode())
    assert len(base64.b64decode(signature)) == 64
    assert verify_signature(info.public_key_pem, "账本头 #12".encode(), signature)
    assert not verify_signature(info.public_key_pem, "账本头 #13".encode(), signature)
    assert not verify_signature(other.public_key_pem, "账本头 #12".encode(), signature)
    assert not verify_signature(info.public_key_pem, b"x", "not base64!!")
    assert not verify_signature("garbage", b"x", signature)


def test_key_names_cannot_escape_the_key_dir(key_dir):
    for bad in ("../etc", "a/b", ".hidden", "", "x" * 65):
        with pytest.raises(ValidationFailed):
            signing_key_ensure(key_name=bad)
    assert not key_dir.exists() or not any(key_dir.iterdir())


def test_exporting_a_key_that_does_not_exist_is_refused(key_dir):
    with pytest.raises(DomainError) as err:
        public_key(key_name="nope")
    assert err.value.code == "signing_key_missing"


def test_an_unknown_signature_algorithm_is_a_clear_error(key_dir):
    with override_settings(ZHIFA_SIGNATURE_ALGORITHM="rsa"), pytest.raises(SigningUnavailable) as err:
        signing_key_ensure(key_name="a")
    assert err.value.code == "signature_algorithm_unknown" and "ed25519" in err.value.message


def test_sm2_without_its_library_is_a_clear_error(key_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "gmalglib", None)  # as if the package were not installed
    with override_settings(ZHIFA_SIGNATURE_ALGORITHM="sm2"), pytest.raises(SigningUnavailable) as err:
        signing_key_ensure(key_name="a")
    assert err.value.code == "sm2_unavailable" and "gmalglib" in err.value.message


@pytest.mark.skipif(not HAVE_SM2, reason="gmalglib not installed")
def test_sm2_keys_sign_and_verify(key_dir):
    with override_settings(ZHIFA_SIGNATURE_ALGORITHM="sm2"):
        info = signing_key_ensure(key_name="330102")
        signature = sign("330102", b"head 12")
    assert info.algorithm == "sm2" and (key_dir / "330102.sm2.key").exists()
    assert verify_signature(info.public_key_pem, b"head 12", signature)
    assert not verify_signature(info.public_key_pem, b"head 13", signature)
    # the Ed25519 key of the same name is a different key, kept beside it
    assert signing_key_ensure(key_name="330102").fingerprint != info.fingerprint


@pytest.mark.skipif(not HAVE_SM2 or not shutil.which("openssl"), reason="gmalglib or openssl missing")
def test_sm2_signatures_verify_with_openssl(key_dir, tmp_path):
    with override_settings(ZHIFA_SIGNATURE_ALGORITHM="sm2"):
        signing_key_ensure(key_name="k")
        signature = sign("k", "执法文书".encode())
    (tmp_path / "msg").write_bytes("执法文书".encode())
    (tmp_path / "sig").write_bytes(base64.b64decode(signature))
    proc = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            str(key_dir / "k.sm2.pub"),
            "-rawin",
            "-in",
            str(tmp_path / "msg"),
            "-sigfile",
            str(tmp_path / "sig"),
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
        ],
        capture_output=True,
        text=True,
    )
    assert "Signature Verified Successfully" in proc.stdout, proc.stdout + proc.stderr


def test_creating_a_key_is_recorded_once_with_its_fingerprint(key_dir):
    from core.models import LedgerEntry

    info = signing_key_ensure(key_name="330102")
    signing_key_ensure(key_name="330102")
    sign("330102", b"x")
    [entry] = LedgerEntry.objects.filter(act="signing.key_created")
    assert entry.object_id == "330102.ed25519"
    assert json.loads(entry.payload)["fingerprint"] == info.fingerprint
