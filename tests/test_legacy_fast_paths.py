"""The fast ways the legacy conversion takes give what the plain ones give: VNI and
Windows-1258 decoded a distinct word at a time equal the whole text decoded at once, whatever
the spacing; a repeated suspect line is read as it would be alone; in a long document the lines
an encoding misreads are still found among thousands that it reads well."""

import unicodedata

import pytest

from resolutions.parsing import encodings
from resolutions.parsing.encodings import CP1258, TCVN3, VNI, decode, encode, to_unicode

from .test_legacy_encodings import LETTERS, SENTENCES

# Every letter between consonants and as a capital, with the spacing a file may hold: runs of
# spaces, tabs, spaces at a line's ends, empty lines, signs stuck to words.
TEXT = "\n".join(
    [
        "  ".join(f"x{letter}m" for letter in LETTERS if letter.islower()),
        "\t".join(f"{letter}n," for letter in LETTERS if letter.isupper()),
        "",
        " " + SENTENCES[1] + " ",
        "“" + SENTENCES[2] + "” – (" + SENTENCES[4] + ")",
    ]
)


def whole_vni(data: bytes) -> str:
    """VNI's letters read over the whole text at once, as before the speed-up."""
    text = data.decode("cp1252")
    return encodings._VNI_RE.sub(lambda match: encodings._VNI_DECODE[match.group(0)], text)


@pytest.mark.parametrize(
    ("encoding", "whole"),
    [
        (VNI, whole_vni),
        (CP1258, lambda data: data.decode("cp1258")),
    ],
)
def test_word_at_a_time_decoding_equals_the_whole_texts(encoding, whole):
    data = encode(TEXT, encoding)
    expected = unicodedata.normalize("NFC", whole(data))
    assert decode(data, encoding) == expected == TEXT


def test_a_repeated_line_in_another_encoding_is_read_in_its_own_each_time():
    vni_line = encode(SENTENCES[3], VNI)
    lines = [encode(SENTENCES[n % 5], TCVN3) for n in range(2000)]
    for place in (10, 500, 1999):
        lines[place] = vni_line
    decoded = to_unicode(b"\n".join(lines))
    text = decoded.text.split("\n")
    assert [n for n, line in enumerate(text) if line == SENTENCES[3] and n % 5 != 3] == [
        10,
        500,
        1999,
    ]
    assert all(text[n] == SENTENCES[n % 5] for n in range(2000) if n not in (10, 500, 1999))
    assert [note for note in decoded.notes if "VNI" in note] == [
        "dòng 11: VNI; đã chuyển sang Unicode",
        "dòng 501: VNI; đã chuyển sang Unicode",
        "dòng 2000: VNI; đã chuyển sang Unicode",
    ]


def test_a_sign_no_vietnamese_text_holds_is_weighed_on_its_line_alone():
    # "¤" (0xA4 in Windows-1258) sits in no Vietnamese text: its line is read every way, and
    # the document's encoding still reads the rest of that line best.
    lines = [encode(SENTENCES[4], CP1258)] * 300 + [encode(SENTENCES[4], CP1258) + b" \xa4"]
    decoded = to_unicode(b"\n".join(lines))
    assert decoded.text.split("\n") == [SENTENCES[4]] * 300 + [SENTENCES[4] + " ¤"]
    assert decoded.notes == ["dòng 1–301: Windows-1258; đã chuyển sang Unicode"]
