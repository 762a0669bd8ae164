"""Issuing a conclusion (issue 14): the issuing data and the number register, the draft mark
and what it lacks, the command, the reading view and the download buttons of the admin."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from resolutions.issuing.layout import build_document
from resolutions.issuing.models import Issuance, IssuingProfile, RegisteredNumber, SignerTitle
from resolutions.issuing.register import next_number, register_number, term_on
from resolutions.issuing.rendering import meetings_to_render
from resolutions.models import Directive, Meeting
from resolutions.parsing import read_document

from .factories import UserFactory
from .test_office import SOFFICE


@pytest.fixture
def issued(meeting9):
    """The seed's meeting, numbered and dated, with its committee's issuing data."""
    IssuingProfile.objects.create(
        committee=meeting9.committee,
        issuing_body="Quận ủy Quận 2",
        place="Quận 2",
        signer_name="Nguyễn Văn An",
        signer_title=SignerTitle.DEPUTY,
        recipients="Thường trực Thành ủy,\nCác đồng chí Quận ủy viên,\nLưu Văn phòng Quận ủy.",
    )
    meeting9.issued_on = date(2007, 10, 20)
    meeting9.document_kind = Meeting.DocumentKind.CONCLUSION_NOTICE
    meeting9.save()
    register_number(
        committee=meeting9.committee,
        document_kind=meeting9.document_kind,
        term=3,
        number=25,
        meeting=meeting9,
    )
    Directive.objects.create(
        meeting=meeting9,
        section_order=1,
        section_number="1",
        section_heading="Kinh tế",
        text="Tập trung đẩy nhanh công tác bồi thường giải phóng mặt bằng.",
    )
    return meeting9


def test_an_issued_conclusion_carries_the_form_and_no_draft_mark(issued):
    document = build_document(meetings_to_render().get(pk=issued.pk))
    assert not document.is_draft
    text = document.text()
    # The committee of the fixture has no committee above it: no line over the issuing body.
    assert document.header_left() == ["QUẬN ỦY QUẬN 2", "*", "Số 25-TB/QU"]
    assert "Quận 2, ngày 20 tháng 10 năm 2007" in text
    assert document.type_name == ["THÔNG BÁO KẾT LUẬN"]
    assert document.signature_lines == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "(Đã ký)",
        "Nguyễn Văn An",
    ]
    assert document.recipients[0] == "- Thường trực Thành ủy,"
    assert "DỰ THẢO" not in text
    assert "1. Kinh tế:" in text


def test_a_meetings_own_signer_and_recipients_replace_the_committees(issued):
    Issuance.objects.create(
        meeting=issued, signer_name="Trần Thị Bình", recipients="Ban Thường vụ Thành ủy."
    )
    document = build_document(meetings_to_render().get(pk=issued.pk))
    assert document.signer_name == "Trần Thị Bình"
    assert document.recipients == ["- Ban Thường vụ Thành ủy."]


def test_a_meeting_missing_what_the_form_needs_renders_as_a_draft_listing_it(meeting9):
    document = build_document(meetings_to_render().get(pk=meeting9.pk))
    assert document.is_draft
    assert document.missing == ["số văn bản", "ngày ban hành", "người ký"]
    assert "Số      -KL/QU" in document.text()
    word = Document(io.BytesIO(_docx(meeting9)))
    # The mark is in the page header, which every page repeats.
    assert [p.text for p in word.sections[0].header.paragraphs] == ["DỰ THẢO"]


def test_the_register_suggests_the_next_number_and_allows_gaps(issued):
    committee, kind = issued.committee, issued.document_kind
    assert next_number(committee, kind, 3) == 26
    register_number(
        committee=committee, document_kind=kind, term=3, number=30, description="Thông báo khác"
    )
    assert next_number(committee, kind, 3) == 31
    # Numbering restarts with each term, and per document type.
    assert next_number(committee, kind, 4) == 1
    assert next_number(committee, Meeting.DocumentKind.RESOLUTION, 3) == 1


def test_the_register_refuses_a_taken_number_naming_the_document_that_holds_it(issued):
    with pytest.raises(ValidationError) as refused:
        register_number(
            committee=issued.committee,
            document_kind=issued.document_kind,
            term=3,
            number=25,
            description="Thông báo về công tác cán bộ",
        )
    message = refused.value.messages[0]
    assert "Số 25" in message and issued.title in message and "26" in message
    assert RegisteredNumber.objects.count() == 1
    issued.refresh_from_db()
    assert issued.document_symbol == "25-TB/QU"


def test_a_term_starts_the_day_after_its_congress_closes(district2):
    Meeting.objects.create(
        committee=district2,
        term=3,
        number=4,
        kind=Meeting.Kind.CONGRESS,
        started_on=date(2010, 8, 10),
        ended_on=date(2010, 8, 12),
        title="Nghị quyết Đại hội",
    )
    assert term_on(district2, date(2010, 8, 12)) is None
    assert term_on(district2, date(2010, 8, 13)) == 4


def test_the_command_writes_the_docx_and_says_when_it_is_a_draft(meeting9, tmp_path, capsys):
    out = tmp_path / "kl.docx"
    call_command("render_conclusion", str(meeting9.pk), "--out", str(out))
    assert "DỰ THẢO" in capsys.readouterr().out
    assert read_document("kl.docx", out.read_bytes()).startswith("QUẬN ỦY QUẬN 2")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_the_command_writes_a_pdf(issued, tmp_path):
    out = tmp_path / "kl.pdf"
    call_command("render_conclusion", "25-TB/QU", "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")


def test_the_command_refuses_an_unknown_meeting_in_vietnamese(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy hội nghị"):
        call_command("render_conclusion", "99-KL/QU")


@pytest.fixture
def viewer_client(client, db):
    call_command("setup_roles", verbosity=0)
    user = UserFactory(username="nguoixem", is_staff=True)
    user.groups.set([Group.objects.get(name="Người xem")])
    client.force_login(user)
    return client


def test_a_viewer_reads_the_conclusion_as_a_printable_document(issued, viewer_client):
    page = viewer_client.get(reverse("admin:resolutions_meeting_document", args=[issued.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html and "Số 25-TB/QU" in html
    assert "Tập trung đẩy nhanh công tác bồi thường" in html
    assert "@page { size: A4" in html and "@media print" in html
    assert "DỰ THẢO" not in html


def test_the_reading_view_of_a_draft_lists_what_is_missing(meeting9, viewer_client):
    page = viewer_client.get(reverse("admin:resolutions_meeting_document", args=[meeting9.pk]))
    assert "còn thiếu: số văn bản, ngày ban hành, người ký" in page.content.decode()


def test_the_meeting_page_offers_the_document_and_the_download_gives_a_docx(issued, clerk_client):
    page = clerk_client.get(reverse("admin:resolutions_meeting_change", args=[issued.pk]))
    url = reverse("admin:resolutions_meeting_document_file", args=[issued.pk, "docx"])
    assert url in page.content.decode()
    response = clerk_client.get(url)
    assert response["Content-Disposition"].endswith('.docx"')
    assert "Số 25-TB/QU" in read_document("x.docx", response.content)


def test_an_unknown_format_or_meeting_is_not_found(issued, clerk_client):
    url = reverse("admin:resolutions_meeting_document_file", args=[issued.pk, "exe"])
    assert clerk_client.get(url).status_code == 404
    url = reverse("admin:resolutions_meeting_document", args=[issued.pk + 1000])
    assert clerk_client.get(url).status_code == 404


def test_rendering_a_meeting_takes_a_fixed_number_of_queries(issued, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        [build_document(m) for m in meetings_to_render()]


def _docx(meeting) -> bytes:
    from resolutions.issuing.rendering import render_meeting

    return render_meeting(meetings_to_render().get(pk=meeting.pk)).data


def test_search_results_and_the_meeting_list_link_to_the_document(issued, viewer_client):
    url = reverse("admin:resolutions_meeting_document", args=[issued.pk])
    results = viewer_client.get(
        reverse("admin:resolutions_directive_changelist"), {"q": "bồi thường"}
    )
    assert "Tập trung đẩy nhanh" in results.content.decode()
    assert url in results.content.decode()
    meetings = viewer_client.get(reverse("admin:resolutions_meeting_changelist"))
    assert url in meetings.content.decode()


def test_a_control_character_in_a_stored_text_does_not_stop_the_document(issued, clerk_client):
    Directive.objects.filter(meeting=issued).update(text="Kiểm tra\x0c tiến độ\x0b giải ngân.")
    url = reverse("admin:resolutions_meeting_document_file", args=[issued.pk, "docx"])
    response = clerk_client.get(url)
    assert response.status_code == 200
    assert "- Kiểm tra tiến độ giải ngân." in read_document("x.docx", response.content)


def test_the_register_page_refuses_a_taken_number_naming_its_holder(issued, admin_client):
    page = admin_client.post(
        reverse("admin:resolutions_registerednumber_add"),
        {
            "committee": issued.committee.pk,
            "document_kind": issued.document_kind,
            "term": 3,
            "number": 25,
            "description": "Thông báo về công tác cán bộ",
        },
    )
    assert page.status_code == 200
    assert f"đã cấp cho “{issued.title}”" in page.content.decode()
    assert RegisteredNumber.objects.count() == 1


def test_the_register_page_suggests_the_next_number(issued, admin_client):
    page = admin_client.get(
        reverse("admin:resolutions_registerednumber_add"),
        {"committee": issued.committee.pk, "document_kind": issued.document_kind, "term": 3},
    )
    assert 'name="number" value="26"' in page.content.decode()


def test_a_staff_member_without_the_right_to_view_meetings_is_refused(issued, client):
    client.force_login(UserFactory(username="khach", is_staff=True))
    for url in (
        reverse("admin:resolutions_meeting_document", args=[issued.pk]),
        reverse("admin:resolutions_meeting_document_file", args=[issued.pk, "docx"]),
    ):
        assert client.get(url).status_code == 403
