from datetime import date

import pytest
from django.core.management import call_command

from resolutions.models import Committee, Meeting
from resolutions.roles import role_group, setup_roles

from .factories import UserFactory


@pytest.fixture
def clerk(db):
    """A clerk of the office, with the clerk's role as setup_roles gives it (and no more)."""
    setup_roles()
    user = UserFactory(username="chuyenvien")
    user.groups.set([role_group("clerk")])
    return user


@pytest.fixture
def administrator(db):
    """The register's administrator role (setup_roles): everything a clerk may not do too."""
    setup_roles()
    user = UserFactory(username="quantri")
    user.groups.set([role_group("administrator")])
    return user


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def reference_data(db):
    """The topics and committees (with their units) that the fixtures hold."""
    call_command("loaddata", "topics", "committees", verbosity=0)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def district2(db):
    """The committee of the seed document, District 2 of Ho Chi Minh City."""
    return Committee.objects.create(
        name="Ban Chấp hành Đảng bộ Quận 2",
        short_name="Quận ủy Quận 2",
        symbol="QU",
        level=Committee.Level.DISTRICT,
        active_from=date(1997, 4, 1),
    )


@pytest.fixture
def meeting9(district2):
    """The seed's meeting: the 9th conference of term III, 16-17 October 2007."""
    return Meeting.objects.create(
        committee=district2,
        term=3,
        number=9,
        kind=Meeting.Kind.EXTENDED,
        started_on=date(2007, 10, 16),
        ended_on=date(2007, 10, 17),
        review_period="9 tháng năm 2007",
        plan_period="quý IV/2007",
        title="Kết luận Hội nghị lần thứ 9 Ban Chấp hành Đảng bộ Quận 2 khóa III",
    )
