import pytest

from org.models import AgencyLevel
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory


@pytest.fixture
def tree():
    """province → city → county (+ a sibling county under the same city)."""
    province = AgencyFactory(level=AgencyLevel.PROVINCE, name="浙江省自然资源厅")
    city = AgencyFactory(level=AgencyLevel.CITY, parent=province, name="杭州市规划和自然资源局")
    county = AgencyFactory(level=AgencyLevel.COUNTY, parent=city, name="临安区自然资源局")
    sibling = AgencyFactory(level=AgencyLevel.COUNTY, parent=city, name="桐庐县自然资源局")
    return {"province": province, "city": city, "county": county, "sibling": sibling}


@pytest.fixture
def security_admin(tree):
    return OfficerFactory(agency=tree["city"], roles=[Role.SECURITY_ADMIN]).user


@pytest.fixture
def system_admin(tree):
    return OfficerFactory(agency=tree["city"], roles=[Role.SYSTEM_ADMIN]).user
