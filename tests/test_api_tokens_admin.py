"""Tokens for other systems, as the office's administrator manages them in the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from resolutions.api.tokens import ApiToken
from resolutions.models import Committee

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    call_command("setup_roles", verbosity=0)
    user = UserFactory(username="quantri")
    user.groups.add(Group.objects.get(name="Quản trị viên"))
    client.force_login(user)
    cache.clear()
    return client


def test_an_administrator_makes_a_token_sees_its_key_once_and_revokes_it(administrator, client):
    committee = Committee.objects.create(name="Ban Chấp hành Đảng bộ Quận 2", level="district")
    response = administrator.post(
        reverse("admin:resolutions_apitoken_add"),
        {"name": "Cổng theo dõi kết luận", "committee": committee.pk, "rate_per_minute": 60},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    key = re.search(r"cho “Cổng theo dõi kết luận”: (\S+) —", shown[0]).group(1)
    token = ApiToken.objects.get()
    assert token.prefix == key[:8] and key not in token.key_hash
    # The key is not shown again on the token's page.
    page = administrator.get(reverse("admin:resolutions_apitoken_change", args=[token.pk]))
    assert key not in page.content.decode()

    client.logout()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(reverse("api:meeting-list"), **bearer).status_code == 200
    administrator.force_login(UserFactory(username="quantri"))
    administrator.post(
        reverse("admin:resolutions_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    client.logout()
    assert client.get(reverse("api:meeting-list"), **bearer).status_code == 401
    token.refresh_from_db()
    assert token.is_revoked


def test_tokens_are_never_deleted_and_only_administrators_manage_them(administrator, client):
    committee = Committee.objects.create(name="Ban Chấp hành Đảng bộ Quận 9", level="district")
    token = ApiToken(name="Bảng điều khiển tỉnh", committee=committee)
    token.issue_key()
    token.save()
    page = administrator.get(reverse("admin:resolutions_apitoken_delete", args=[token.pk]))
    assert page.status_code == 403
    viewer = UserFactory(username="nguoixem")
    viewer.groups.add(Group.objects.get(name="Người xem"))
    client.force_login(viewer)
    assert client.get(reverse("admin:resolutions_apitoken_changelist")).status_code == 403


def test_the_command_issues_a_working_key_for_a_committee_named_without_accents(client):
    from io import StringIO

    Committee.objects.create(name="Ban Chấp hành Đảng bộ Quận 2", level="district")
    out = StringIO()
    call_command("issue_api_token", "ban chap hanh dang bo quan 2", "--rate", "5", stdout=out)
    key = out.getvalue().strip()
    assert ApiToken.objects.get().rate_per_minute == 5
    cache.clear()
    response = client.get(reverse("api:committee-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [c["name"] for c in response.json()["results"]] == ["Ban Chấp hành Đảng bộ Quận 2"]
    with pytest.raises(Exception, match="Không có cấp ủy “Quận 99”"):
        call_command("issue_api_token", "Quận 99")
