"""Agency signing keys: Ed25519 by default, SM2 (GB/T 32918) where `gmalglib` is installed.

Keys live as files under `settings.ZHIFA_KEY_DIR` (directory 0700, files 0600), never in the
database. A key is named by a key name (usually the agency code, see `agency_key_name`) and the
deployment's signature algorithm (`ZHIFA_SIGNATURE_ALGORITHM`), so a deployment that changes
algorithm keeps its old keys beside the new ones:

    <ZHIFA_KEY_DIR>/<key_name>.<algorithm>.key   private key
    <ZHIFA_KEY_DIR>/<key_name>.<algorithm>.pub   public key (SubjectPublicKeyInfo PEM)

Signatures are base64. Ed25519 signatures are the raw 64 bytes (RFC 8032); SM2 signatures are the
DER `SEQUENCE { r, s }` of GB/T 35276 over the message with the default user id
`1234567812345678`, as GmSSL and OpenSSL produce them. Public keys are standard PEM, so that anyone
can check a published head with ordinary tools.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError, ValidationFailed

SIGNATURE_ALGORITHMS = ("ed25519", "sm2")
KEY_NAME_RE = re.compile(r"^[\w-][\w.-]{0,63}$")

# SubjectPublicKeyInfo header of an uncompressed SM2 point:
# SEQUENCE { SEQUENCE { id-ecPublicKey, sm2p256v1 (1.2.156.10197.1.301) }, BIT STRING 04||X||Y }.
_SM2_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
_SM2_UID = b"1234567812345678"


class SigningUnavailable(DomainError):
    code = "signing_unavailable"
    status = 500


@dataclass(frozen=True)
class PublicKeyInfo:
    key_name: str
    algorithm: str
    public_key_pem: str
    fingerprint: str  # sha256 hex of the DER SubjectPublicKeyInfo

    def as_dict(self) -> dict[str, str]:
        return {
            "key_name": self.key_name,
            "signature_algorithm": self.algorithm,
            "public_key": self.public_key_pem,
            "fingerprint": self.fingerprint,
        }


def signature_algorithm() -> str:
    """The deployment's signature algorithm; a clear error when it is unknown or unavailable."""
    algorithm = str(getattr(settings, "ZHIFA_SIGNATURE_ALGORITHM", "ed25519")).strip().lower()
    if algorithm not in SIGNATURE_ALGORITHMS:
        raise SigningUnavailable(
            _(
                "The signature algorithm %(algorithm)s is not supported. Set ZHIFA_SIGNATURE_ALGORITHM "
                "to one of: %(choices)s."
            )
            % {"algorithm": algorithm, "choices": ", ".join(SIGNATURE_ALGORITHMS)},
            code="signature_algorithm_unknown",
        )
    if algorithm == "sm2":
        _sm2_module()
    return algorithm


def _sm2_module() -> Any:
    try:
        from gmalglib import sm2  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise SigningUnavailable(
            _(
                "SM2 signatures need the gmalglib package, which is not installed. Install it "
                "(pip install gmalglib) or set ZHIFA_SIGNATURE_ALGORITHM=ed25519."
            ),
            code="sm2_unavailable",
        ) from exc
    return sm2


def agency_key_name(agency_id: int) -> str:
    """The key name of an agency: its code (through core.scoping.agency_label)."""
    from core.scoping import agency_label

    code = str(agency_label(agency_id).get("code", "")).strip()
    if not code:
        raise ValidationFailed(
            _("Agency %(id)s has no code, so it has no signing key name; give the agency a code first.")
            % {"id": agency_id},
            code="signing_agency_without_code",
        )
    return _check_key_name(code)


def _key_dir() -> Path:
    path = Path(settings.ZHIFA_KEY_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _check_key_name(key_name: str) -> str:
    if not isinstance(key_name, str) or not KEY_NAME_RE.match(key_name):
        raise ValidationFailed(
            _(
                "The key name %(name)r is not valid: use 1–64 letters, digits, '-', '_' or '.', "
                "not starting with '.' (for example the agency code)."
            )
            % {"name": key_name},
            code="signing_key_name_invalid",
        )
    return key_name


def _paths(key_name: str, algorithm: str) -> tuple[Path, Path]:
    base = _key_dir()
    return base / f"{key_name}.{algorithm}.key", base / f"{key_name}.{algorithm}.pub"


def _write_new(path: Path, data: bytes) -> bool:
    """Create `path` with mode 0600; False (and nothing written) when it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def _sm2_public_pem(raw_point: bytes) -> str:
    der = _SM2_SPKI_PREFIX + raw_point
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"


def _pem_to_der(pem: str) -> bytes:
    lines = [ln.strip() for ln in pem.strip().splitlines() if ln.strip() and not ln.startswith("-----")]
    return base64.b64decode("".join(lines), validate=True)


def fingerprint(public_key_pem: str) -> str:
    """sha256 (hex) of the DER SubjectPublicKeyInfo.

    The same as `openssl pkey -pubin -outform DER | sha256sum`.
    """
    return hashlib.sha256(_pem_to_der(public_key_pem)).hexdigest()


def _generate(algorithm: str) -> tuple[bytes, str]:
    """(private key file content, public key PEM) of a fresh key pair."""
    if algorithm == "ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
        private_pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return private_pem, public_pem.decode("ascii")
    sm2 = _sm2_module()
    sk, pk = sm2.SM2().generate_keypair()
    return (sk.hex() + "\n").encode("ascii"), _sm2_public_pem(pk)


def signing_key_ensure(*, key_name: str, actor: Any = None) -> PublicKeyInfo:
    """The public half of the key `key_name`, creating the key pair on first use.

    Creating a key is an act (`signing.key_created`, with the public key and its fingerprint), so
    the chain holds the history of every agency's keys. Safe when several processes ask at once:
    the private key file is created exclusively and a process that loses the race reads the
    winner's key.
    """
    _check_key_name(key_name)
    algorithm = signature_algorithm()
    private_path, public_path = _paths(key_name, algorithm)
    created = False
    if not private_path.exists():
        private_data, public_pem = _generate(algorithm)
        if _write_new(private_path, private_data):
            created = True
            tmp = public_path.with_suffix(f".pub.{os.getpid()}.tmp")
            _write_new(tmp, public_pem.encode("ascii"))
            os.replace(tmp, public_path)
    public_pem = _public_pem_from_private(key_name, algorithm)
    if not public_path.exists():  # the creating process was interrupted before writing it
        _write_new(public_path, public_pem.encode("ascii"))
    info = PublicKeyInfo(key_name, algorithm, public_pem, fingerprint(public_pem))
    if created:
        from core.services.ledger import ledger_append

        ledger_append(actor=actor, act="signing.key_created", payload=info.as_dict(),
                      object_type="signing_key", object_id=f"{key_name}.{algorithm}")  # fmt: skip
    return info


def signing_key_exists(*, key_name: str, algorithm: str | None = None) -> bool:
    _check_key_name(key_name)
    private_path, _public = _paths(key_name, algorithm or signature_algorithm())
    return private_path.exists()


def public_key(*, key_name: str, algorithm: str | None = None) -> PublicKeyInfo:
    """Export the public key of an existing key (it is never created here)."""
    _check_key_name(key_name)
    algorithm = algorithm or signature_algorithm()
    private_path, _public = _paths(key_name, algorithm)
    if not private_path.exists():
        raise DomainError(
            _(
                "There is no %(algorithm)s signing key named %(name)s in ZHIFA_KEY_DIR. Create it "
                "first (zhifa ledger head --key %(name)s creates the key on first use)."
            )
            % {"algorithm": algorithm, "name": key_name},
            code="signing_key_missing",
            status=404,
        )
    pem = _public_pem_from_private(key_name, algorithm)
    return PublicKeyInfo(key_name, algorithm, pem, fingerprint(pem))


def _read_private(key_name: str, algorithm: str) -> bytes:
    private_path, _public = _paths(key_name, algorithm)
    return private_path.read_bytes()


def _public_pem_from_private(key_name: str, algorithm: str) -> str:
    data = _read_private(key_name, algorithm)
    if algorithm == "ed25519":
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, ed25519.Ed25519PrivateKey):
            raise SigningUnavailable(
                _("The key file of %(name)s is not an Ed25519 key.") % {"name": key_name}
            )
        return (
            private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode("ascii")
        )
    sm2 = _sm2_module()
    sk = bytes.fromhex(data.decode("ascii").strip())
    return _sm2_public_pem(sm2.SM2().get_pk(sk))


def sign(key_name: str, data: bytes) -> str:
    """Sign `data` with the key `key_name` (created on first use); base64 signature."""
    info = signing_key_ensure(key_name=key_name)
    if info.algorithm == "ed25519":
        private = serialization.load_pem_private_key(_read_private(key_name, "ed25519"), password=None)
        assert isinstance(private, ed25519.Ed25519PrivateKey)
        return base64.b64encode(private.sign(data)).decode("ascii")
    sm2 = _sm2_module()
    sk = bytes.fromhex(_read_private(key_name, "sm2").decode("ascii").strip())
    raw = sm2.SM2(sk=sk, pk=sm2.SM2().get_pk(sk), uid=_SM2_UID).sign(data)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    return base64.b64encode(der).decode("ascii")


def public_key_algorithm(public_key_pem: str) -> str:
    """ "ed25519" or "sm2" for a PEM public key; ValueError for anything else."""
    der = _pem_to_der(public_key_pem)
    if der.startswith(_SM2_SPKI_PREFIX) and len(der) == len(_SM2_SPKI_PREFIX) + 65:
        return "sm2"
    key = serialization.load_der_public_key(der)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519"
    raise ValueError("unsupported public key type")


def verify_signature(public_key_pem: str, data: bytes, signature: str) -> bool:
    """True when `signature` (base64) is a valid signature of `data` by `public_key_pem`.

    Never raises on bad input: a malformed key or signature is simply not valid.
    """
    try:
        algorithm = public_key_algorithm(public_key_pem)
        raw_signature = base64.b64decode(signature, validate=True)
    except (ValueError, binascii.Error, TypeError):
        return False
    if algorithm == "ed25519":
        key = serialization.load_der_public_key(_pem_to_der(public_key_pem))
        assert isinstance(key, ed25519.Ed25519PublicKey)
        try:
            key.verify(raw_signature, data)
        except InvalidSignature:
            return False
        return True
    try:
        r, s = decode_dss_signature(raw_signature)
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    except (ValueError, OverflowError):
        return False
    sm2 = _sm2_module()
    point = _pem_to_der(public_key_pem)[len(_SM2_SPKI_PREFIX) :]
    try:
        return bool(sm2.SM2(pk=point, uid=_SM2_UID).verify(data, raw))
    except ValueError:
        return False
