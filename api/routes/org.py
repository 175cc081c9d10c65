"""Agencies and the public list of officers, scoped to the caller through org's selectors."""


from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from api.auth import caller
from api.errors import with_errors
from api.pagination import paginated
from api.routes.fields import Text
from core.errors import NotFound
from org import policies as org_policies
from org import selectors as org_selectors

router = Router(tags=["org"])

AGENCY_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    parent_id: int | None
    region_code: str
    address: str
    phone: str = Field(..., description="public phone")
    duties: str
    active: bool


class AgencyFilters(Schema):
    level: str | None = Field(None, max_length=16, description="province, city or county")
    parent_id: int | None = Field(None, ge=1, le=2**62)
    q: Text | None = Field(None, max_length=100, description="part of the name or code")


class PublicOfficerOut(Schema):
    """执法人员公示: exactly what the public list shows, nothing personal."""

    name: str
    certificate_number: str
    fields: list[str]
    status: str = Field(..., description="valid, expired, suspended")
    agency: str
    agency_code: str


class OfficerFilters(Schema):
    agency_id: int | None = Field(None, ge=1, le=2**62)
    status: str | None = Field(None, max_length=16, description="valid, expired or suspended")
    field: str | None = Field(None, max_length=50, description="field of enforcement (name)")
    q: Text | None = Field(None, max_length=100, description="part of the name or certificate number")


@router.get("/agencies", response=with_errors(list[AgencyOut]), summary="Agencies I may see")
@paginated
def agency_list(request: HttpRequest, filters: Query[AgencyFilters]) -> Any:
    qs = org_selectors.visible_agencies(caller(request))
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent_id:
        qs = qs.filter(parent_id=filters.parent_id)
    if filters.q:
        qs = qs.filter(name__contains=filters.q) | qs.filter(code__contains=filters.q)
    return qs.order_by("path", "pk")


@router.get("/agencies/{agency_id}", response=with_errors(AgencyOut), summary="One agency")
def agency_detail(request: HttpRequest, agency_id: int = AGENCY_ID) -> Any:
    actor = caller(request)
    agency = org_selectors.visible_agencies(actor).filter(pk=agency_id).first()
    if agency is not None:
        return agency
    # Outside the caller's scope but existing: a permission denial (recorded by org.policies).
    existing = org_selectors.visible_agencies(None).filter(pk=agency_id).first()
    if existing is not None:
        org_policies.ensure(actor, "view", existing)  # records the denial and raises 403
    raise NotFound(
        _("There is no agency with this id among the agencies you may see."), code="agency_not_found"
    )


@router.get("/officers", response=with_errors(list[PublicOfficerOut]), summary="Public list of officers")
@paginated
def officer_list(request: HttpRequest, filters: Query[OfficerFilters]) -> Any:
    visible = set(org_selectors.visible_agency_ids(caller(request)))
    if filters.agency_id:
        visible &= {filters.agency_id}
    rows = org_selectors.public_officers(agency_ids=sorted(visible))
    if filters.status:
        rows = [r for r in rows if r["status"] == filters.status]
    if filters.field:
        rows = [r for r in rows if filters.field in r["fields"]]
    if filters.q:
        rows = [r for r in rows if filters.q in r["name"] or filters.q in r["certificate_number"]]
    return rows
