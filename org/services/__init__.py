"""Every write to the organisation (each one a ledger act with old and new values).

Split by sub-domain: agencies (+ departments), officers (+ roles), certificates (+ legal
qualifications). The certification questions (`officer_may_enforce`, `officers_may_investigate`,
`certificates_expiring`) are reads and live in org.selectors; they are re-exported here.
"""

from org.selectors import (
    InvestigationVerdict,
    Verdict,
    certificates_expiring,
    officer_may_enforce,
    officers_may_investigate,
)
from org.services._common import UNSET
from org.services.agencies import agency_create, agency_update, department_create, department_update
from org.services.certificates import (
    certificate_issue,
    certificate_reinstate,
    certificate_renew,
    certificate_revoke,
    certificate_suspend,
    qualification_record,
)
from org.services.fields import enforcement_field_save
from org.services.legal import legal_reviewer_min_ratio_set
from org.services.officers import (
    officer_create,
    officer_deactivate,
    officer_reactivate,
    officer_transfer,
    officer_update,
    role_grant,
    role_revoke,
)

__all__ = [
    "UNSET",
    "InvestigationVerdict",
    "Verdict",
    "agency_create",
    "agency_update",
    "certificate_issue",
    "certificate_reinstate",
    "certificate_renew",
    "certificate_revoke",
    "certificate_suspend",
    "certificates_expiring",
    "department_create",
    "department_update",
    "enforcement_field_save",
    "legal_reviewer_min_ratio_set",
    "officer_create",
    "officer_deactivate",
    "officer_may_enforce",
    "officer_reactivate",
    "officer_transfer",
    "officer_update",
    "officers_may_investigate",
    "qualification_record",
    "role_grant",
    "role_revoke",
]
