"""Where the parser read each value, as the admin's previews show it beside the value.

"Nhập kết luận từ văn bản" puts the source beside each value of the meeting, each figure and
each task; "Điền từ văn bản" lists the meeting's in one message and puts each row's beside the
form. A value read less plainly than written is marked, and the unsure ones are listed first, so
that the clerk checks them first.
"""

from __future__ import annotations

from django.utils.html import format_html

from ..parsing import Evidence, ParsedConclusion

LABELS = {
    "meeting.kind": "Loại hội nghị",
    "meeting.committee": "Cấp ủy",
    "meeting.short_name_in_text": "Tên gọi trong văn bản",
    "meeting.term": "Khóa",
    "meeting.number": "Lần hội nghị",
    "meeting.extended_session": "Mở rộng",
    "meeting.started_on": "Ngày họp",
    "meeting.ended_on": "Ngày kết thúc",
    "meeting.review_period": "Kỳ kiểm điểm",
    "meeting.plan_period": "Kỳ kế hoạch",
    "document.symbol": "Số, ký hiệu",
    "document.issued_on": "Ngày ban hành",
    "document.published_on": "Ngày đăng",
}
CERTAINTY = {
    "exact": "đọc đúng như văn bản ghi",
    "inferred": "suy ra, cần kiểm tra",
    "guessed": "đoán, cần kiểm tra trước",
}


def note(evidence: Evidence) -> str:
    """ "dòng 5: “lần thứ 14”", with how sure the reading is when it is not plain."""
    text = f"dòng {evidence.line}: “{evidence.source}”"
    if evidence.certainty != "exact":
        text += f" ({CERTAINTY[evidence.certainty]})"
    return text


def sources(parsed: ParsedConclusion) -> dict[str, str]:
    """The source of each field of the meeting by its short name ("number", "started_on"), as
    the preview shows it beside the value."""
    return {
        name.split(".", 1)[1]: shown(evidence, LABELS.get(name, name))
        for name, evidence in parsed.evidence.items()
    }


def summary(parsed: ParsedConclusion) -> str:
    """One line for "Điền từ văn bản": where each value was read, unsure ones first."""
    order = {"guessed": 0, "inferred": 1, "exact": 2}
    items = sorted(parsed.evidence.items(), key=lambda item: order[item[1].certainty])
    return "; ".join(f"{LABELS.get(name, name)} — {note(evidence)}" for name, evidence in items)


def shown(evidence: Evidence | None, label: str = ""):
    """The source of one value as the previews show it: its line and words, hovered or read
    beside the value, coloured by how sure the reading is; a dash when the text does not
    say where."""
    if evidence is None:
        return "—"
    title = f"{label}: {note(evidence)}" if label else note(evidence)
    return format_html(
        '<span class="evidence-{}" title="{}">{}</span>', evidence.certainty, title, note(evidence)
    )


def rows(parsed: ParsedConclusion) -> list[tuple[str, str, Evidence]]:
    """Each figure and each task with where it was read, in the order of the text:
    (kind, what it is, evidence)."""
    found = [("Chỉ tiêu", i.name, i.evidence) for i in parsed.indicators if i.evidence]
    for section in parsed.sections:
        found += [("Nhiệm vụ", d.text, d.evidence) for d in section.directives if d.evidence]
    return found


def unsure(parsed: ParsedConclusion) -> list[tuple[str, str, Evidence]]:
    """The values read less plainly than written, guessed ones first: what the clerk checks
    before the rest."""
    order = {"guessed": 0, "inferred": 1}
    meeting = [
        (LABELS.get(name, name), "", e)
        for name, e in parsed.evidence.items()
        if e.certainty in order
    ]
    found = meeting + [row for row in rows(parsed) if row[2].certainty in order]
    return sorted(found, key=lambda row: order[row[2].certainty])
