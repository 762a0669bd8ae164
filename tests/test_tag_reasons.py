"""Tags a clerk can trust: the obvious ones suggested, each shown with the keyword it came from,
and the directive list's two topic filters saying which topic they read."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Directive, Topic
from resolutions.services.fixtures import import_seeds
from resolutions.services.tagging import TagSuggester

from .factories import TopicFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:resolutions_directive_changelist")


@pytest.fixture
def topics(db):
    call_command("loaddata", "topics", verbosity=0)


@pytest.fixture
def seeds(topics):
    call_command("loaddata", "committees", verbosity=0)
    (outcome,) = import_seeds()
    return outcome.meeting


def directive(section, position):
    return Directive.objects.get(section_order=section, position=position)


def tags_of(text, section_topic=None):
    topic = Topic.objects.get(slug=section_topic) if section_topic else None
    suggested = TagSuggester().suggest(Directive(text=text, topic=topic))
    return set(Topic.objects.filter(pk__in=suggested).values_list("slug", flat=True))


# Sentences as conclusions write them: the seed and tests/documents.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Triển khai thực hiện Chương trình hành động của Quận ủy về công tác vận động nhân "
            "dân từ nay đến năm 2010.",
            {"dan-van"},
        ),
        (
            "tăng cường công tác vận động nhân dân, phát huy vai trò của Mặt trận Tổ quốc và "
            "các đoàn thể.",
            {"dan-van", "mat-tran-to-quoc"},
        ),
        # "công nhận" (recognized) is not "công nhân" (workers, a keyword of Công đoàn).
        (
            "hoàn thành các tiêu chí để huyện được công nhận đạt chuẩn nông thôn mới trước "
            "ngày 31/12/2019.",
            set(),
        ),
        (
            "Đẩy nhanh tiến độ giải ngân vốn đầu tư công; phấn đấu giải ngân đạt 100% kế hoạch "
            "vốn được giao.",
            {"dau-tu-xay-dung"},
        ),
        (
            "Hoàn thành công tác tuyển chọn và gọi công dân nhập ngũ năm 2017 đạt chỉ tiêu giao.",
            {"quan-su-quoc-phong"},
        ),
        (
            "Xây dựng Đảng bộ trong sạch, vững mạnh; mỗi năm kết nạp từ 1.500 đảng viên trở lên.",
            {"xay-dung-dang", "phat-trien-dang-vien"},
        ),
        ("Khai thác tiềm năng du lịch gắn với các di tích lịch sử.", {"thuong-mai-dich-vu"}),
        (
            "phòng, chống dịch COVID-19, phấn đấu tiêm đủ liều vắc-xin cho người dân.",
            {"y-te"},
        ),
        ("Chuẩn bị tốt các điều kiện cho năm học mới 2016 - 2017.", {"giao-duc"}),
        # Educating cadres is not the schools' field; the campaign is not mass mobilization.
        (
            "gắn cuộc vận động “Học tập và làm theo tấm gương đạo đức Hồ Chí Minh” trong công "
            "tác tuyên truyền giáo dục đội ngũ cán bộ công chức",
            {"hoc-tap-lam-theo-bac", "can-bo"},
        ),
        # The longer keyword decides: cadre planning, not town planning.
        ("Làm tốt công tác quy hoạch cán bộ nhiệm kỳ tới.", {"can-bo"}),
        # A broad field named in passing is no tag.
        ("Phát triển kinh tế, giữ vững an ninh, chăm lo đời sống nhân dân.", set()),
        # Either tone placement; and "mà tùy" is not "ma túy".
        ("Kiểm tra việc phòng, chống ma tuý trong thanh niên.", {"ma-tuy", "thanh-nien"}),
        ("Mà tùy điều kiện từng nơi, các phường chủ động bố trí.", set()),
    ],
)
def test_tags_catch_what_a_clerk_would_tag(topics, text, expected):
    assert tags_of(text) == expected


def test_the_section_topic_is_not_repeated_as_a_tag(topics):
    text = "Tăng cường công tác vận động nhân dân ở khu dân cư."
    assert "dan-van" in tags_of(text, section_topic="xay-dung-dang")
    assert "dan-van" not in tags_of(text, section_topic="dan-van")


def test_a_keyword_typed_without_accents_matches_the_accented_text(topics):
    TopicFactory(slug="nong-thon", name="Nông thôn mới", keywords="nong thon moi")
    assert "nong-thon" in tags_of("Xây dựng huyện đạt chuẩn nông thôn mới.")


def test_the_seeds_mass_mobilization_directives_are_tagged_dan_van(seeds):
    assert {t.slug for t in directive(4, 5).tags.all()} == {"dan-van"}
    assert {t.slug for t in directive(4, 3).tags.all()} == {"dan-van", "thanh-nien"}
    # Only those two of the seed's 24 speak of it in their own words.
    assert sorted(
        (d.section_order, d.position) for d in Directive.objects.filter(tags__slug="dan-van")
    ) == [(4, 3), (4, 5)]


def test_the_directive_page_says_why_it_carries_each_tag(seeds, clerk_client):
    target = directive(4, 3)
    target.tags.add(Topic.objects.get(slug="phu-nu"))  # a clerk's own choice
    target.tags.remove(Topic.objects.get(slug="thanh-nien"))
    page = clerk_client.get(reverse("admin:resolutions_directive_change", args=[target.pk]))
    text = page.content.decode()
    assert "Lý do gắn thẻ" in text
    assert "Dân vận — khớp từ khóa “vận động quần chúng”" in text
    assert "Phụ nữ — do người dùng gắn (nội dung không có từ khóa nào của chủ đề này)" in text
    assert "Thanh niên — gợi ý, chưa gắn: khớp từ khóa “Đoàn Thanh niên”" in text


def test_the_two_topic_filters_say_what_they_read(seeds, clerk_client):
    page = clerk_client.get(CHANGELIST).content.decode()
    assert "Theo lĩnh vực của mục" in page
    assert "Theo chủ đề gắn thẻ" in page

    def listed(**params):
        found = clerk_client.get(CHANGELIST, params).context["cl"].result_list
        return sorted((d.section_order, d.position) for d in found)

    # Tagged Dân vận or a finer topic (4.6: Hội Nông dân, Liên đoàn Lao động), all in the
    # Party-building section.
    assert listed(the="dan-van") == [(4, 3), (4, 5), (4, 6)]
    assert listed(linh_vuc="dan-van") == []  # no section of the seed is about it
    assert listed(linh_vuc="xay-dung-dang") == [(4, n) for n in range(1, 8)]
    # And whatever the section: Thanh niên is under Dân vận.
    directive(1, 1).tags.add(Topic.objects.get(slug="thanh-nien"))
    assert listed(the="dan-van") == [(1, 1), (4, 3), (4, 5), (4, 6)]


def test_new_keywords_reach_an_existing_register_without_touching_a_clerks_edits(seeds):
    mobilization = Topic.objects.get(slug="dan-van")
    mobilization.keywords = "vận động nhân dân\ncông tác dân vận khéo"  # as a clerk left it
    mobilization.save()
    Directive.objects.get(section_order=4, position=3).tags.clear()
    out = StringIO()
    call_command("retag_directives", "--add-fixture-keywords", "--dry-run", stdout=out)
    assert "Dân vận: dân vận, vận động quần chúng, công tác dân vận\n" in out.getvalue()
    mobilization.refresh_from_db()
    assert "vận động quần chúng" not in mobilization.keyword_list()

    call_command("retag_directives", "--add-fixture-keywords", stdout=StringIO())
    mobilization.refresh_from_db()
    assert mobilization.keyword_list() == [
        "vận động nhân dân",
        "công tác dân vận khéo",
        "dân vận",
        "vận động quần chúng",
        "công tác dân vận",
    ]
    assert {t.slug for t in directive(4, 3).tags.all()} == {"dan-van", "thanh-nien"}
