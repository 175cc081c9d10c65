"""Writes on records and evidence. Other apps import from here."""

from records.services.av import av_rule_update, av_rules_record_defaults
from records.services.evidence import evidence_exclude, evidence_item_add, evidence_reinstate
from records.services.records import record_correct, record_create
from records.services.uploads import (
    IngestResult,
    evidence_file_ingest,
    receipt_scan_attach,
    upload_chunk,
    upload_complete,
    upload_start,
    upload_status,
)

__all__ = [
    "IngestResult",
    "av_rule_update",
    "av_rules_record_defaults",
    "evidence_exclude",
    "evidence_file_ingest",
    "evidence_item_add",
    "evidence_reinstate",
    "receipt_scan_attach",
    "record_correct",
    "record_create",
    "upload_chunk",
    "upload_complete",
    "upload_start",
    "upload_status",
]
