"""Old Vietnamese encodings: every letter with every tone, in both cases, comes back as typed;
each line of a mixed document is read in its own encoding; a line no encoding reads is named."""

import shutil
import subprocess
import unicodedata

import pytest

from resolutions.parsing import encodings
from resolutions.parsing.encodings import (
    CP1258,
    MOJIBAKE,
    TCVN3,
    UTF8,
    VISCII,
    VNI,
    UndecidableEncoding,
    decode,
    encode,
    to_unicode,
    vietnamese_letters,
)

ALL = (TCVN3, VNI, VISCII, CP1258, MOJIBAKE)
LETTERS = vietnamese_letters()
# Written for these tests: a conclusion's opening, in words of our own.
SENTENCES = [
    "Kết luận của Ban Thường vụ Huyện ủy về kinh tế - xã hội quý III năm 2009",
    "Đảng bộ phường đã hoàn thành 8/10 chỉ tiêu; thu ngân sách đạt 104,5% dự toán.",
    "Tiếp tục giải phóng mặt bằng, bồi thường và tái định cư cho các hộ dân ở ấp Mỹ Lợi.",
    "NHIỆM VỤ TRỌNG TÂM QUÝ IV: KIỂM TRA, GIÁM SÁT VIỆC THỰC HIỆN NGHỊ QUYẾT",
    "Ủy ban nhân dân xã chỉ đạo các ngành ưu tiên nguồn vốn cho đường giao thông nông thôn.",
]


def test_there_are_146_letters_beyond_ascii_each_tone_of_each_vowel_and_d_in_both_cases():
    assert len(LETTERS) == len(set(LETTERS)) == 146
    assert {"ặ", "Ặ", "ỡ", "Ỡ", "ự", "Ự", "ỹ", "Ỹ", "đ", "Đ", "a", "Y"} <= set(LETTERS)
    assert all(unicodedata.is_normalized("NFC", letter) for letter in LETTERS)


@pytest.mark.parametrize("encoding", ALL)
def test_every_letter_with_every_tone_in_both_cases_round_trips(encoding):
    wrong = [letter for letter in LETTERS if decode(encode(letter, encoding), encoding) != letter]
    assert wrong == []


@pytest.mark.parametrize("encoding", ALL)
def test_every_letter_read_back_inside_a_word_in_a_whole_document(encoding):
    # Each letter between consonants and as the capital starting a word, as text has them.
    words = [f"x{letter}m" for letter in LETTERS if letter.islower()]
    words += [f"{letter}n" for letter in LETTERS if letter.isupper()]
    text = " ".join(words)
    assert decode(encode(text, encoding), encoding) == text


@pytest.mark.parametrize("encoding", ALL)
def test_written_sentences_are_detected_and_converted(encoding):
    text = "\n".join(SENTENCES)
    decoded = to_unicode(encode(text, encoding))
    assert decoded.text == text
    assert decoded.encodings == [encoding]
    assert decoded.notes == [
        f"dòng 1–5: {encodings.LABELS[encoding]}; đã chuyển sang Unicode"
        if encoding != MOJIBAKE
        else "dòng 1–5: chữ Unicode bị đọc nhầm thành Windows-1252; đã sửa lại"
    ]


def test_the_bytes_are_the_ones_the_old_fonts_use():
    # Independent of the tables' own round trip: "Kết luận", "Đảng" as each encoding spells them.
    assert encode("Kết luận", TCVN3) == b"K\xd5t lu\xcbn"
    assert encode("Đảng", TCVN3) == b"\xa7\xb6ng"
    assert encode("Kết luận", VNI) == "Keát luaän".encode("cp1252")
    assert encode("Đảng", VNI) == "Ñaûng".encode("cp1252")
    assert encode("Kết luận", VISCII) == b"K\xaat lu\xa7n"
    assert encode("Kết", CP1258) == b"K\xea\xect"  # ê then the combining acute
    assert encode("Kết", MOJIBAKE) == "Káº¿t".encode()


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv (glibc) compares the tables")
@pytest.mark.parametrize(("encoding", "iconv_name"), [(TCVN3, "TCVN5712-1"), (VISCII, "VISCII")])
def test_tables_agree_with_the_c_librarys_iconv(encoding, iconv_name):
    text = " ".join(LETTERS)
    converted = subprocess.run(
        ["iconv", "-f", iconv_name, "-t", "UTF-8"],
        input=encode(text, encoding),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert unicodedata.normalize("NFC", converted) == text


def test_capitals_typed_with_the_abc_capital_fonts_come_back_as_capitals():
    # .VnTimeH shows the lower-case codes as capitals: "KÕT LUËN" in the file is "KẾT LUẬN".
    assert to_unicode(b"K\xd5T LU\xcbN H\xe9I NGH\xde").text == "KẾT LUẬN HỘI NGHỊ"
    assert to_unicode(b"\xa7\xb6ng b\xe9").text == "Đảng bộ"  # a word in lower case stays so


def test_a_document_mixing_encodings_is_read_line_by_line_and_each_run_reported():
    parts = [
        (TCVN3, SENTENCES[0]),
        (TCVN3, SENTENCES[1]),
        (UTF8, "Hội nghị thống nhất:"),
        (VNI, SENTENCES[2]),
        (VNI, SENTENCES[3]),
        (CP1258, SENTENCES[4]),
        (MOJIBAKE, "Giao Văn phòng Huyện ủy theo dõi, đôn đốc."),
    ]
    data = b"\n".join(encode(text, encoding) for encoding, text in parts)
    decoded = to_unicode(data)
    assert decoded.text.split("\n") == [text for _, text in parts]
    assert decoded.notes == [
        "dòng 1–2: TCVN3 (ABC); đã chuyển sang Unicode",
        "dòng 4–5: VNI; đã chuyển sang Unicode",
        "dòng 6: Windows-1258; đã chuyển sang Unicode",
        "dòng 7: chữ Unicode bị đọc nhầm thành Windows-1252; đã sửa lại",
    ]


def test_lines_of_plain_ascii_stay_in_the_run_around_them():
    data = b"\n".join(
        [encode(SENTENCES[0], VNI), b"", b"1. 2009 - 2010", encode(SENTENCES[2], VNI)]
    )
    assert to_unicode(data).notes == ["dòng 1–4: VNI; đã chuyển sang Unicode"]


def test_unicode_text_is_left_as_it_is():
    text = "\n".join(SENTENCES)
    decoded = to_unicode(text.encode())
    assert (decoded.text, decoded.notes) == (text, [])


def test_a_line_no_encoding_reads_as_vietnamese_is_named():
    data = encode(SENTENCES[0], TCVN3) + b"\n\xff\xfe\xfd\xfc\xfb\xfa \xf0\xf0\xf0\xf0\n"
    with pytest.raises(UndecidableEncoding) as raised:
        to_unicode(data)
    assert raised.value.line == 2


def test_the_syllable_rules_tell_vietnamese_words_from_misread_ones():
    for word in ("nghiêng", "khuyến", "Đắk", "Lắk", "giữ", "quốc", "ươm", "tuyệt", "Ờ"):
        assert encodings.is_syllable(word), word
    # Windows-1258's "Quốc" read as VISCII, a tone a stop does not take, two tones.
    for word in ("Quôìc", "phoìng", "cảt", "hoạò", "Keát"):
        assert not encodings.is_syllable(word), word


def test_a_long_document_is_converted_whole():
    line = encode(SENTENCES[2], TCVN3) + b"\n"
    assert to_unicode(line * 20_000).text == (SENTENCES[2] + "\n") * 20_000
