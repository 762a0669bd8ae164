"""How much of a document the parser reads as a clerk recorded it, field by field.

Each document of a folder is a ``.txt`` with, beside it, a ``.json`` of what a careful clerk
records from it, in the schema of ``shared/gold/`` (what ``as_gold_dict`` writes). The parser
reads the text (pure Python, the broad topics of ``DEFAULT_TOPICS``, no database), and the two
structures are compared part by part. A *field* is one value the JSON states; the parser gets it
*right* or not. What the JSON leaves out is never counted as expected: a value the text does not
state must stay empty, and one the parser fills in anyway counts as *extra*.

How fields are counted and matched, by part:

``meeting``
    Every key of ``meeting`` and of ``document`` is a field (committee, number, term, kind,
    extended_session, started_on, ended_on, review_period, plan_period, short_name_in_text;
    the document's kind, title, symbol, issued_on, published_on). Texts are compared after
    ``normalize`` (so "quý IV/2007" equals "quý IV năm 2007", "2020 – 2025" equals
    "2020-2025"), numbers and dates exactly. A key the parser fills and the JSON lacks is extra.
``reports``
    Each adopted report's title is a field, right when an actual title equals it after
    ``normalize`` (order does not matter); actual titles left over are extra.
``indicators``
    Each indicator of the period past and each target in a directive is matched to one the
    parser read by its figure (the same value; when there is no value, the same change or
    share of plan), the closest name winning among equal figures. Every key of the expected
    indicator is then a field: name, value, unit, target_value, change_pct, compared_with,
    plan_pct, part_of, estimate, period (for a target: text, value, unit, section_order,
    directive_index). An unmatched indicator scores none of its fields. Keys the parser adds to a
    matched indicator are extra.
``findings``
    ``achievements_paragraphs`` (the count) and ``shortcomings_paragraph_starts_with`` (after
    ``normalize``): two fields.
``sections``
    ``general_instruction`` is a field; then each expected section, taken in order against
    the parser's section at the same place, gives its printed_number, heading and topic.
    Sections the parser adds are extra.
``directives``
    Each directive's text is a field, right when an actual directive anywhere in the document
    has the same text after ``normalize`` (each actual directive matches once); each named
    responsible unit is a field, right when the directive with that text carries that unit;
    each cited document is a field. Unmatched actual directives and citations are extra.

Figures read are every indicator and target the parser proposes; those matched to none the
JSON lists are *noise*, what a clerk would have to delete. Not counted: ``directive_count``
(the directives themselves are), ``warnings``, ``known_quirks``, ``source_file``, ``shapes``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..parsing import as_gold_dict, parse_conclusion, read_path
from ..vietnamese import nfc

PARTS = ("meeting", "reports", "indicators", "findings", "sections", "directives")

_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-"})
# Old and new tone placement at the end of a syllable ("hoà"/"hòa", "thuỷ"/"thủy").
_TONES = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
# After "q" the "u" is part of the consonant: "quý" has one placement only.
_TONE_RE = re.compile(rf"(?<!q)({'|'.join(_TONES)})(?!\w)")
_SLASH_YEAR_RE = re.compile(r"\b(quý [ivx]+|tháng \d{1,2})/(\d{4})\b")
_DECIMAL_KEYS = {"value", "target_value", "change_pct", "plan_pct"}


def normalize(value) -> str:
    """Text as a clerk compares it: case, spacing, dashes, tone placement and end marks aside."""
    text = nfc(str(value)).translate(_DASHES).casefold()
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip().strip(" .;:,")
    text = _SLASH_YEAR_RE.sub(r"\1 năm \2", text)
    text = _TONE_RE.sub(lambda m: _TONES[m.group(1)], text)
    return text.replace("tỉ", "tỷ")


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def same(key: str, expected, actual) -> bool:
    """Whether one field's actual value is the expected one."""
    if actual is None:
        return expected is None
    if key in _DECIMAL_KEYS:
        return _decimal(expected) is not None and _decimal(expected) == _decimal(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int) and isinstance(actual, int):
        return expected == actual
    return normalize(expected) == normalize(actual)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", normalize(text)))


def _overlap(expected: str, actual: str) -> float:
    words = _words(expected)
    return len(words & _words(actual)) / len(words) if words else 0.0


@dataclass
class PartScore:
    expected: int = 0
    right: int = 0
    extra: int = 0
    misses: list[str] = field(default_factory=list)

    def check(self, what: str, expected, actual, key: str = "") -> None:
        self.expected += 1
        if same(key, expected, actual):
            self.right += 1
        else:
            self.misses.append(f"{what}: cần {expected!r:.100}, đọc được {actual!r:.100}")

    def add(self, other: PartScore) -> None:
        self.expected += other.expected
        self.right += other.right
        self.extra += other.extra

    def as_dict(self, *, misses: bool = True) -> dict:
        data: dict[str, Any] = {
            "right": self.right,
            "expected": self.expected,
            "extra": self.extra,
        }
        data["ratio"] = _ratio(self.right, self.expected)
        if misses:
            data["misses"] = self.misses
        return data


@dataclass
class DocumentScore:
    name: str
    shapes: list[str] = field(default_factory=list)
    parts: dict[str, PartScore] = field(default_factory=lambda: {p: PartScore() for p in PARTS})
    figures_read: int = 0
    noise: int = 0

    @property
    def right(self) -> int:
        return sum(p.right for p in self.parts.values())

    @property
    def expected(self) -> int:
        return sum(p.expected for p in self.parts.values())

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "shapes": self.shapes,
            "right": self.right,
            "expected": self.expected,
            "ratio": _ratio(self.right, self.expected),
            "figures_read": self.figures_read,
            "noise": self.noise,
            "parts": {name: part.as_dict() for name, part in self.parts.items()},
        }


@dataclass
class Evaluation:
    documents: list[DocumentScore]

    @property
    def parts(self) -> dict[str, PartScore]:
        totals = {p: PartScore() for p in PARTS}
        for document in self.documents:
            for name, part in document.parts.items():
                totals[name].add(part)
        return totals

    @property
    def right(self) -> int:
        return sum(d.right for d in self.documents)

    @property
    def expected(self) -> int:
        return sum(d.expected for d in self.documents)

    @property
    def figures_read(self) -> int:
        return sum(d.figures_read for d in self.documents)

    @property
    def noise(self) -> int:
        return sum(d.noise for d in self.documents)

    def as_dict(self) -> dict:
        return {
            "documents": [d.as_dict() for d in self.documents],
            "total": {
                "documents": len(self.documents),
                "right": self.right,
                "expected": self.expected,
                "ratio": _ratio(self.right, self.expected),
                "figures_read": self.figures_read,
                "noise": self.noise,
                "noise_ratio": _ratio(self.noise, self.figures_read),
                "parts": {n: p.as_dict(misses=False) for n, p in self.parts.items()},
            },
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


# --- Comparing one document ----------------------------------------------------------------


def compare(expected: dict, actual: dict, name: str = "") -> DocumentScore:
    """Score *actual* (as ``as_gold_dict`` writes it) against the clerk's *expected* record."""
    score = DocumentScore(name=name, shapes=list(expected.get("shapes", [])))
    _meeting(expected, actual, score.parts["meeting"])
    _reports(expected, actual, score.parts["reports"])
    score.figures_read, score.noise = _indicators(expected, actual, score.parts["indicators"])
    _findings(expected, actual, score.parts["findings"])
    _sections(expected, actual, score.parts["sections"])
    _directives(expected, actual, score.parts["directives"])
    return score


def _meeting(expected: dict, actual: dict, part: PartScore) -> None:
    for block in ("meeting", "document"):
        wanted, read = expected.get(block, {}), actual.get(block, {})
        for key, value in wanted.items():
            part.check(f"{block}.{key}", value, read.get(key), key)
        for key, value in read.items():
            if key not in wanted and value not in (None, "", False):
                part.extra += 1
                part.misses.append(f"{block}.{key}: không có trong văn bản, đọc được {value!r}")


def _listed(wanted: list[str], read: list[str], part: PartScore, missed: str) -> None:
    """Texts expected in any order, each read at most once; those read beyond are noise."""
    left = [normalize(text) for text in read]
    for text in wanted:
        part.expected += 1
        if normalize(text) in left:
            left.remove(normalize(text))
            part.right += 1
        else:
            part.misses.append(f"{missed}: {text!r:.100}")
    part.extra += len(left)


def _reports(expected: dict, actual: dict, part: PartScore) -> None:
    _listed(
        expected.get("reports_adopted", []),
        actual.get("reports_adopted", []),
        part,
        "báo cáo không đọc được",
    )


def _figure_key(indicator: dict) -> tuple[str, Decimal] | None:
    for key in ("value", "change_pct", "plan_pct"):
        value = _decimal(indicator.get(key))
        if value is not None:
            return key, value
    return None


def _match(wanted: dict, candidates: list[dict], used: set[int], name_key: str) -> int | None:
    """The index of the unused candidate with the wanted figure and the closest name."""
    figure = _figure_key(wanted)
    best, best_overlap = None, -1.0
    for index, candidate in enumerate(candidates):
        if index in used:
            continue
        if figure and _decimal(candidate.get(figure[0])) != figure[1]:
            continue
        overlap = _overlap(wanted.get(name_key, ""), candidate.get(name_key, ""))
        if not figure and overlap < 0.5:
            continue
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    return best


def _indicators(expected: dict, actual: dict, part: PartScore) -> tuple[int, int]:
    """Scores indicators and targets; returns (figures read, figures read that match none)."""
    read = 0
    matched = 0
    for block, name_key in (("indicators", "name"), ("targets_in_directives", "text")):
        candidates = actual.get(block, [])
        used: set[int] = set()
        for wanted in expected.get(block, []):
            index = _match(wanted, candidates, used, name_key)
            label = f"{block}[{wanted.get(name_key, '')[:40]!r}]"
            if index is None:
                part.expected += len(wanted)
                part.misses.append(f"{label}: không đọc được")
                continue
            used.add(index)
            found = candidates[index]
            for key, value in wanted.items():
                part.check(f"{label}.{key}", value, found.get(key), key)
            for key, value in found.items():
                if key not in wanted and value not in (None, "", False):
                    part.extra += 1
                    part.misses.append(f"{label}.{key}: không có trong văn bản, đọc được {value!r}")
        read += len(candidates)
        matched += len(used)
    return read, read - matched


def _findings(expected: dict, actual: dict, part: PartScore) -> None:
    wanted, found = expected.get("findings", {}), actual.get("findings", {})
    for key, value in wanted.items():
        part.check(f"findings.{key}", value, found.get(key), key)


def _sections(expected: dict, actual: dict, part: PartScore) -> None:
    if "general_instruction" in expected:
        part.check(
            "general_instruction",
            expected["general_instruction"],
            actual.get("general_instruction", ""),
        )
    found = actual.get("sections", [])
    for index, section in enumerate(expected.get("sections", [])):
        other = found[index] if index < len(found) else {}
        for key in ("printed_number", "heading", "topic"):
            if key in section:
                part.check(f"sections[{index + 1}].{key}", section[key], other.get(key), key)
    part.extra += max(0, len(found) - len(expected.get("sections", [])))


def _directive_texts(structure: dict) -> dict[tuple[int, int], str]:
    return {
        (section.get("order", number), index): text
        for number, section in enumerate(structure.get("sections", []), start=1)
        for index, text in enumerate(section.get("directives", []), start=1)
    }


def _directives(expected: dict, actual: dict, part: PartScore) -> None:
    wanted_texts = _directive_texts(expected)
    found_texts = _directive_texts(actual)
    left = [normalize(text) for text in found_texts.values()]
    for text in wanted_texts.values():
        part.expected += 1
        if normalize(text) in left:
            left.remove(normalize(text))
            part.right += 1
        else:
            part.misses.append(f"nhiệm vụ không đọc đúng: {text!r:.100}")
    part.extra += len(left)

    units = {
        normalize(found_texts.get((u["section_order"], u["directive_index"]), "")): u["unit"]
        for u in actual.get("responsible_units_named", [])
    }
    for named in expected.get("responsible_units_named", []):
        text = wanted_texts.get((named["section_order"], named["directive_index"]), "")
        part.check(f"đơn vị chủ trì của {text[:40]!r}", named["unit"], units.get(normalize(text)))

    _listed(
        expected.get("cited_documents", []),
        actual.get("cited_documents", []),
        part,
        "văn bản được dẫn không đọc được",
    )


# --- A folder of documents ------------------------------------------------------------------


def document_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """Every ``.txt`` of *folder* that has its expected ``.json`` beside it, by name."""
    return [
        (text, text.with_suffix(".json"))
        for text in sorted(Path(folder).glob("*.txt"))
        if text.with_suffix(".json").exists()
    ]


def evaluate_document(text_path: Path, json_path: Path) -> DocumentScore:
    expected = json.loads(json_path.read_text(encoding="utf-8"))
    actual = as_gold_dict(parse_conclusion(read_path(text_path)), text_path.name)
    return compare(expected, actual, text_path.stem)


def evaluate_folder(folder: Path) -> Evaluation:
    return Evaluation([evaluate_document(t, j) for t, j in document_pairs(folder)])
