"""Where the parser read each value, as the admin's previews show it beside the value.

"Nhập kết luận từ văn bản" puts the source beside each value of the meeting; "Điền từ văn bản"
lists them in one message. A value read less plainly than written is marked so that the clerk
checks it first.
"""

from __future__ import annotations

from .parsing import Evidence, ParsedConclusion

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


def sources(parsed: ParsedConclusion) -> dict[str, dict]:
    """The evidence of each field by its short name ("number", "started_on"), for templates."""
    return {
        name.split(".", 1)[1]: {
            "label": LABELS.get(name, name),
            "line": evidence.line,
            "source": evidence.source,
            "certainty": evidence.certainty,
            "note": note(evidence),
        }
        for name, evidence in parsed.evidence.items()
    }


def summary(parsed: ParsedConclusion) -> str:
    """One line for "Điền từ văn bản": where each value was read, unsure ones first."""
    order = {"guessed": 0, "inferred": 1, "exact": 2}
    items = sorted(parsed.evidence.items(), key=lambda item: order[item[1].certainty])
    return "; ".join(f"{LABELS.get(name, name)} — {note(evidence)}" for name, evidence in items)
