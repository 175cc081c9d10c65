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
from service.services.licences import application_issue, licence_set_risk, licences_expiry_run

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
    "inspection_record",
    "inspection_to_lead",
    "licence_set_risk",
    "licences_expiry_run",
    "patrol_record",
    "patrol_to_lead",
]
