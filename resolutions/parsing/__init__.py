"""Parsing a conclusion's text into its structure. Pure Python: nothing here imports Django."""

from .document import citations, parse_conclusion
from .model import (
    Evidence,
    ParsedConclusion,
    ParsedDirective,
    ParsedFinding,
    ParsedIndicator,
    ParsedMeeting,
    ParsedReport,
    ParsedSection,
    ParseWarning,
)
from .output import as_gold_dict, evidence_dict
from .reading import DocumentError, read_document, read_path, read_path_bytes, read_text
from .topics import TopicEntry, TopicMatcher

__all__ = [
    "DocumentError",
    "Evidence",
    "ParseWarning",
    "ParsedConclusion",
    "ParsedDirective",
    "ParsedFinding",
    "ParsedIndicator",
    "ParsedMeeting",
    "ParsedReport",
    "ParsedSection",
    "TopicEntry",
    "TopicMatcher",
    "as_gold_dict",
    "citations",
    "evidence_dict",
    "parse_conclusion",
    "read_document",
    "read_path",
    "read_path_bytes",
    "read_text",
]
