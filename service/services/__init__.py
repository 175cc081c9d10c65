"""Writes of the service app (licences, applications, inspections), split by sub-domain."""

from service.services.applications import (
    Upload,
    application_accept,
    application_decide,
    application_extend,
    application_handover,
    application_pause,
    application_reject,
    application_request_correction,
    application_resume,
    application_submit,
    application_take,
    applications_deem_accepted,
)
from service.services.catalog import licence_kind_save, supervision_frequency_set
from service.services.hearings import (
    hearing_notify_right,
    hearing_record,
    hearing_request,
    hearing_schedule,
    hearing_waive,
)
from service.services.inspections import (
    draw_compute,
    draw_make,
    draw_publish,
    draw_reproduces,
    inspection_record,
    inspection_to_lead,
    patrol_record,
    patrol_to_lead,
)
from service.services.licences import application_issue, licence_end, licence_set_risk, licences_expiry_run
from service.services.notices import notice_delivery_record, notice_downloaded, subject_documents

__all__ = [
    "Upload",
    "application_accept",
    "application_decide",
    "application_extend",
    "application_handover",
    "application_issue",
    "application_pause",
    "application_reject",
    "application_request_correction",
    "application_resume",
    "application_submit",
    "application_take",
    "applications_deem_accepted",
    "draw_compute",
    "draw_make",
    "draw_publish",
    "draw_reproduces",
    "hearing_notify_right",
    "hearing_record",
    "hearing_request",
    "hearing_schedule",
    "hearing_waive",
    "inspection_record",
    "inspection_to_lead",
    "licence_end",
    "licence_kind_save",
    "licence_set_risk",
    "licences_expiry_run",
    "notice_delivery_record",
    "notice_downloaded",
    "patrol_record",
    "patrol_to_lead",
    "subject_documents",
    "supervision_frequency_set",
]
