"""The published JSON Schema of the upward export, version 1 (served at /exchange/schema/v1.json).

An export is NDJSON: one JSON document per line — a `header`, then `record`s, then a `trailer`
signed by the exporting agency's key (the key that signs its archive manifests and ledger heads).
Each line validates against this schema. Record data carries no personal data beyond what the
publicity rules make public: natural persons appear as surname + 某, identity numbers, phones and
addresses of parties never appear, case facts and locations are left out.
"""

from __future__ import annotations

from typing import Any

VERSION = 1
FORMAT = "zhifa-exchange"
KINDS = ("subject", "staff", "power", "case", "decision", "publication", "statistics")
SCHEMA_ID = "/exchange/schema/v1.json"

_DATE = {"type": ["string", "null"], "format": "date"}
_MONEY = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d{1,2})?$"}
_TEXT = {"type": "string", "maxLength": 2000}
_PERIOD = {"type": "string", "pattern": r"^(\d{4}-\d{2}|-)$"}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": props,
        "required": required if required is not None else list(props),
    }


DATA: dict[str, dict[str, Any]] = {
    "subject": _obj(
        {
            "code": _TEXT,
            "name": _TEXT,
            "level": {"enum": ["province", "city", "county"]},
            "parent_code": {"type": ["string", "null"]},
            "region_code": _TEXT,
            "duties": {"type": "string"},
            "address": _TEXT,
            "phone": _TEXT,
            "active": {"type": "boolean"},
            "departments": {
                "type": "array",
                "items": _obj(
                    {"id": {"type": "integer"}, "name": _TEXT, "kind": _TEXT, "active": {"type": "boolean"}}
                ),
            },
        }
    ),
    "staff": _obj(
        {
            "name": _TEXT,
            "department": {"type": ["string", "null"]},
            "title": _TEXT,
            "auxiliary": {"type": "boolean"},
            "active": {"type": "boolean"},
            "certificates": {
                "type": "array",
                "items": _obj(
                    {
                        "number": _TEXT,
                        "status": {"enum": ["valid", "suspended", "revoked"]},
                        "issued_on": _DATE,
                        "expires_on": _DATE,
                        "fields": {"type": "array", "items": {"type": "string"}},
                    }
                ),
            },
        }
    ),
    "power": _obj(
        {
            "code": _TEXT,
            "version": {"type": "integer"},
            "name": _TEXT,
            "kind": _TEXT,
            "status": _TEXT,
            "field_code": _TEXT,
            "valid_from": _DATE,
            "valid_until": _DATE,
        }
    ),
    "case": _obj(
        {
            "case_number": _TEXT,
            "title": _TEXT,
            "procedure": _TEXT,
            "status": _TEXT,
            "field_code": _TEXT,
            "violation_code": _TEXT,
            "power_item_id": {"type": ["integer", "null"]},
            "source": _TEXT,
            "discovered_on": _DATE,
            "registered_on": _DATE,
            "decided_on": _DATE,
            "closed_on": _DATE,
            "parties": {
                "type": "array",
                "items": _obj(
                    {
                        "type": {"enum": ["natural", "legal", "other"]},
                        "name": _TEXT,
                        "credit_code": {"type": ["string", "null"]},
                    }
                ),
            },
        }
    ),
    "decision": _obj(
        {
            "case_id": {"type": "integer"},
            "decision_number": _TEXT,
            "decided_on": _DATE,
            "kinds": {"type": "array", "items": {"type": "string"}},
            "amount": _MONEY,
            "delivered_on": _DATE,
            "revoked_on": _DATE,
        }
    ),
    "publication": _obj(
        {
            "public_id": {"type": "string"},
            "case_id": {"type": "integer"},
            "title": _TEXT,
            "document_number": _TEXT,
            "party": _TEXT,
            "category": _TEXT,
            "decided_on": _DATE,
            "published_on": _DATE,
            "status": _TEXT,
            "withdrawn_on": _DATE,
        }
    ),
    "statistics": _obj(
        {
            "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
            "discovered": {"type": "integer"},
            "registered": {"type": "integer"},
            "decided": {"type": "integer"},
            "closed": {"type": "integer"},
            "fines_decided": _MONEY,
        }
    ),
}


def _record(kind: str) -> dict[str, Any]:
    return _obj(
        {
            "type": {"const": "record"},
            "kind": {"const": kind},
            "id": {"type": "string", "maxLength": 64},
            "period": _PERIOD,
            "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "data": DATA[kind],
        }
    )


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "zhifa 数据汇聚导出（一行一个 JSON 文档）",
    "description": (
        "Upward export of an enforcement agency's data, version 1. Lines: header, records, trailer. "
        "`digest` of a record is the SHA-256 of the canonical JSON of its `data` (keys sorted, no spaces, "
        "UTF-8). The trailer's `digest` is the SHA-256 of all record lines (with their new lines), its "
        "`header_digest` the SHA-256 of the header line (with its new line). The trailer's `signature` is "
        "the exporting agency's signature (Ed25519, or SM2 with the default user id; base64 `value`) over "
        "the canonical JSON of the trailer without `signature`, so it covers the header and every record; "
        "`public_key` is the PEM SubjectPublicKeyInfo and `fingerprint` the SHA-256 of its DER. A receiver "
        "refuses a batch whose signature does not verify or whose key is not the one it holds for the agency."
    ),
    "oneOf": [
        _obj(
            {
                "type": {"const": "header"},
                "format": {"const": FORMAT},
                "version": {"const": VERSION},
                "agency": _obj({"code": _TEXT, "name": _TEXT, "level": _TEXT}),
                "since": {"type": "integer", "minimum": 0},
                "until": {"type": "integer", "minimum": 0},
            }
        ),
        *[_record(kind) for kind in KINDS],
        _obj(
            {
                "type": {"const": "trailer"},
                "count": {"type": "integer", "minimum": 0},
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "header_digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "signature": _obj(
                    {
                        "key_name": {"type": "string", "maxLength": 64},
                        "algorithm": {"enum": ["ed25519", "sm2"]},
                        "public_key": {"type": "string", "maxLength": 2000},
                        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "value": {"type": "string", "maxLength": 200},
                    }
                ),
            }
        ),
    ],
}
