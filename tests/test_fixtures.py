"""The reference data a new register starts with."""

import json
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command

from resolutions.models import Committee, Topic

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

pytestmark = pytest.mark.django_db


def test_the_topics_follow_the_design_taxonomy():
    call_command("loaddata", "topics", verbosity=0)
    roots = [t.name for t in Topic.objects.roots()]
    assert roots == [
        "Kinh tế",
        "Văn hóa – xã hội",
        "Quốc phòng – an ninh",
        "Xây dựng Đảng",
        "Dân vận",
    ]
    for slug, parent in [
        ("boi-thuong-tai-dinh-cu", "kinh-te"),
        ("quy-hoach-do-thi", "kinh-te"),
        ("moi-truong", "kinh-te"),
        ("cai-cach-hanh-chinh", "kinh-te"),
        ("giao-duc", "van-hoa-xa-hoi"),
        ("y-te", "van-hoa-xa-hoi"),
        ("viec-lam-giam-ngheo", "van-hoa-xa-hoi"),
        ("trat-tu-an-toan-xa-hoi", "quoc-phong-an-ninh"),
        ("ma-tuy", "quoc-phong-an-ninh"),
        ("giao-thong", "quoc-phong-an-ninh"),
        ("khieu-nai-to-cao", "quoc-phong-an-ninh"),
        ("can-bo", "xay-dung-dang"),
        ("phat-trien-dang-vien", "xay-dung-dang"),
        ("thanh-nien", "dan-van"),
    ]:
        assert Topic.objects.get(slug=slug).parent.slug == parent
    assert "giải phóng mặt bằng" in Topic.objects.get(slug="boi-thuong-tai-dinh-cu").keyword_list()


def test_loading_the_reference_data_twice_changes_nothing():
    call_command("loaddata", "topics", "committees", verbosity=0)
    counts = (Topic.objects.count(), Committee.objects.count())
    call_command("loaddata", "topics", "committees", verbosity=0)
    assert (Topic.objects.count(), Committee.objects.count()) == counts


@pytest.mark.parametrize("name", ["topics.json", "committees.json"])
def test_fixtures_are_nfc_and_name_relations_by_natural_key(name):
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    for record in json.loads(raw):
        assert "pk" not in record
