"""Vietnamese text in the legacy encodings, found line by line and converted to NFC Unicode.

Old conclusions were typed in TCVN3 (the ABC keyboard's ".VnTime" fonts), VNI (the "VNI-Times"
fonts), VISCII or Windows-1258 (whose tones are combining marks), and Unicode text has often
been damaged by a program that read its UTF-8 as Windows-1252 ("KÃ¡Âº¿t" for "Kết": mojibake).
One document may hold several: a heading pasted from another file keeps its own.

Each line is decoded every way it can be and the reading that looks most like Vietnamese wins:
words that are Vietnamese syllables (an onset, a vowel nucleus, a coda and one tone at most)
count for it, words that are not and characters that belong to no Vietnamese text count against
it. A line without any such character goes with its neighbours. A line no reading makes
Vietnamese of is not guessed at: ``UndecidableEncoding`` names it.

The tables are TCVN 5712:1993 VN1 (a superset of the ABC fonts' VN3: it gives the capitals
with tones the codes VN3 leaves to the ".VnTimeH" fonts) and VISCII (RFC 1456), both as the GNU
C library's iconv has them; VNI as its Windows fonts lay it out; Windows-1258 as Python's codec.
Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache

TCVN3, VNI, VISCII, CP1258, UTF8, MOJIBAKE = (
    "tcvn3",
    "vni",
    "viscii",
    "cp1258",
    "utf-8",
    "mojibake",
)
LEGACY = (TCVN3, VNI, VISCII, CP1258)
# As the preview names them.
LABELS = {
    TCVN3: "TCVN3 (ABC)",
    VNI: "VNI",
    VISCII: "VISCII",
    CP1258: "Windows-1258",
    UTF8: "Unicode (UTF-8)",
    MOJIBAKE: "Unicode bị đọc nhầm thành Windows-1252",
}

# Tones in the order Vietnamese lists them: ngang, huyền, hỏi, ngã, sắc, nặng.
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = "aăâeêioôơuưy"


def vietnamese_letters() -> list[str]:
    """Every letter Vietnamese writes beyond ASCII's: each vowel with each tone, and đ, in both
    cases (the 12 vowels' untoned forms that are ASCII included, so a, e… with every tone)."""
    letters = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES] + [
        "đ"
    ]
    return letters + [letter.upper() for letter in letters]


_LETTERS = frozenset(vietnamese_letters())


def _table(controls: dict[int, str], high: str) -> str:
    table = [chr(code) for code in range(128)] + list(high)
    for code, letter in controls.items():
        table[code] = letter
    assert len(table) == 256
    return "".join(table)


# TCVN 5712:1993 VN1. Bytes 0xb0-0xb4 are the five tones as combining marks.
_TCVN3_TABLE = _table(
    {
        0x01: "Ú",
        0x02: "Ụ",
        0x04: "Ừ",
        0x05: "Ử",
        0x06: "Ữ",
        0x11: "Ứ",
        0x12: "Ự",
        0x13: "Ỳ",
        0x14: "Ỷ",
        0x15: "Ỹ",
        0x16: "Ý",
        0x17: "Ỵ",
    },
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xa0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xb0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xc0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xd0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xe0
    "ỖủũúụừửữứựỳỷỹýỵỐ",  # 0xf0
)
# VISCII (RFC 1456): six capitals take control codes.
_VISCII_TABLE = _table(
    {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"},
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"  # 0x80
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 0x90
    "Õắằặấầẩậẽẹếềểễệố"  # 0xa0
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"  # 0xb0
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"  # 0xc0
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # 0xd0
    "àáâãảăữẫèéêẻìíĩỉ"  # 0xe0
    "đựòóôõỏọụùúũủýợỮ",  # 0xf0
)
# Control codes the two tables give letters: a legacy text may hold them, a binary file is
# told apart by the others.
LETTER_CONTROLS = frozenset(
    code
    for table in (_TCVN3_TABLE, _VISCII_TABLE)
    for code in range(32)
    if table[code] != chr(code)
)

# VNI: a letter is its ASCII base followed by one byte for its marks, as Windows-1252 shows it.
# The tone bytes after a plain or breve vowel, then after a circumflex (which VNI writes with
# the tone in one byte), lower case; capitals use the capital forms of the same bytes.
_VNI_TONES = ("", "ø", "û", "õ", "ù", "ï")  # after a, e, o, u, y and ơ, ư
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")  # ă with each tone
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")  # â, ê, ô with each tone
# Letters VNI writes in one byte.
_VNI_SINGLE = {
    "ì": "ì",
    "í": "í",
    "ỉ": "æ",
    "ĩ": "ó",
    "ị": "ò",
    "ỵ": "î",
    "ơ": "ô",
    "ư": "ö",
    "đ": "ñ",
}


def _vni_lower() -> dict[str, str]:
    """Unicode letter -> its VNI spelling (as Windows-1252 characters), lower case."""
    spelled: dict[str, str] = {}
    for tone, plain, breve, circumflex in zip(
        TONES, _VNI_TONES, _VNI_BREVE, _VNI_CIRCUMFLEX, strict=True
    ):
        for base in "aeouy":
            spelled[unicodedata.normalize("NFC", base + tone)] = base + plain
        spelled[unicodedata.normalize("NFC", "ă" + tone)] = "a" + breve
        for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
            spelled[unicodedata.normalize("NFC", hat + tone)] = base + circumflex
        for horned, byte in (("ơ", "ô"), ("ư", "ö")):
            spelled[unicodedata.normalize("NFC", horned + tone)] = byte + plain
        spelled[unicodedata.normalize("NFC", "i" + tone)] = "i"  # set below, one byte each
    spelled.update(_VNI_SINGLE)
    spelled["i"] = "i"
    return spelled


_VNI_ENCODE = {letter: spelled for letter, spelled in _vni_lower().items() if letter != spelled}
_VNI_ENCODE.update({letter.upper(): spelled.upper() for letter, spelled in _VNI_ENCODE.items()})
_VNI_DECODE = {spelled: letter for letter, spelled in _VNI_ENCODE.items()}
# Longest first, so that "ôù" (ớ) is read before "ô" (ơ).
_VNI_RE = re.compile("|".join(map(re.escape, sorted(_VNI_DECODE, key=len, reverse=True))))
_VNI_ENCODE_RE = re.compile("|".join(map(re.escape, _VNI_ENCODE)))

# Windows-1252 as a program that decodes its undefined bytes as C1 controls reads them
# (Windows does, and Latin-1 too): mojibake of "Ý" (C3 9D) keeps its U+009D.
_CP1252_LENIENT = "".join(
    bytes([code]).decode("cp1252", errors="replace").replace("\ufffd", chr(code))
    for code in range(256)
)
_CP1252_BYTES = {char: code for code, char in enumerate(_CP1252_LENIENT)}
_CP1252_BYTES.update({chr(code): code for code in range(0x80, 0xA0)})  # read as Latin-1


_TONE_MARKS = frozenset(TONES[1:])
_MODIFIERS = frozenset("\u0302\u0306\u031b")  # circumflex, breve, horn


class UndecidableEncoding(ValueError):
    """No encoding reads this line as Vietnamese."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def encode(text: str, encoding: str, errors: str = "strict") -> bytes:
    """*text* (NFC Unicode) as a legacy program would have saved it (for tests and benchmarks;
    with errors="replace", "?" for a character the encoding has no code for)."""
    if encoding in (TCVN3, VISCII):
        table = codecs.charmap_build(_TCVN3_TABLE if encoding == TCVN3 else _VISCII_TABLE)
        return codecs.charmap_encode(text, errors, table)[0]
    if encoding == VNI:
        spelled = _VNI_ENCODE_RE.sub(lambda match: _VNI_ENCODE[match.group(0)], text)
        return spelled.encode("cp1252", errors)
    if encoding == CP1258:
        return _cp1258_spelling(text).encode("cp1258", errors)
    if encoding == MOJIBAKE:
        return "".join(_CP1252_LENIENT[byte] for byte in text.encode("utf-8")).encode("utf-8")
    if encoding == UTF8:
        return text.encode("utf-8")
    raise ValueError(encoding)


def _cp1258_spelling(text: str) -> str:
    """Text as Vietnamese Windows keyboards write Windows-1258: the letter with its circumflex,
    breve or horn precomposed (â, ă, ơ…), the tone as a combining mark after it."""
    out: list[str] = []
    tones: list[str] = []  # the tones of the letter being read, put after its modifiers
    for char in unicodedata.normalize("NFD", text):
        if char in _TONE_MARKS:
            tones.append(char)
        elif char in _MODIFIERS and out:
            out[-1] = unicodedata.normalize("NFC", out[-1] + char)
        else:
            out.extend(tones)
            tones = []
            out.append(char)
    out.extend(tones)
    return "".join(out)


def decode(data: bytes, encoding: str) -> str:
    """*data* read in *encoding*, as NFC Unicode (errors raise UnicodeDecodeError)."""
    return unicodedata.normalize("NFC", _decoders()[encoding](data))


def _tcvn3(data: bytes) -> str:
    return _capitalised(codecs.charmap_decode(data, "strict", _TCVN3_TABLE)[0])


def _capitalised(text: str) -> str:
    """ABC's ".VnTimeH" fonts show the lower-case codes as capitals: a line whose ASCII letters
    are all capitals ("KÕT LUËN" in the file) was typed in capitals ("KẾT LUẬN")."""
    return _CAPS_LINE_RE.sub(lambda match: match.group(0).upper(), text)


_CAPS_LINE_RE = re.compile(r"^(?=[^a-z\n]*[A-Z])[^a-z\n]*$", re.MULTILINE)


def _mojibake(data: bytes) -> str:
    """UTF-8 text that was read as Windows-1252 (and saved again as UTF-8), as it was."""
    return data.decode("utf-8").encode("cp1252", _C1_BYTES).decode("utf-8")


def _c1_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """The bytes Windows-1252 leaves undefined, which such a reading kept as C1 controls (and
    Latin-1's reading of 0x80-0x9f): each back to its byte; anything else is no mojibake."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    if not all(char in _CP1252_BYTES for char in bad):
        raise error
    return bytes(_CP1252_BYTES[char] for char in bad), error.end


_C1_BYTES = "resolutions-c1-bytes"
codecs.register_error(_C1_BYTES, _c1_bytes)


def _vni(data: bytes) -> str:
    return _by_word(data, _vni_word)


def _vni_word(data: bytes) -> str:
    text = data.decode("cp1252")
    return _VNI_RE.sub(lambda match: _VNI_DECODE[match.group(0)], text)


def _cp1258(data: bytes) -> str:
    return _by_word(data, _cp1258_word)


def _cp1258_word(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


def _by_word(data: bytes, decode_word: Callable[[bytes], str]) -> str:
    """*data* decoded a space-separated word at a time, each distinct word once: a text
    repeats its words, and a decoding that must look at each letter's neighbours (VNI's two
    bytes a letter, Windows-1258's combining tones) costs per character in Python. No
    decoding here reads across a space, so this is the whole text's decoding."""
    words = data.split(b" ")
    decoded = {word: decode_word(word) for word in set(words)}
    return " ".join([decoded[word] for word in words])


@lru_cache(maxsize=1)
def _decoders() -> dict[str, Callable[[bytes], str]]:
    return {
        TCVN3: _tcvn3,
        VNI: _vni,
        VISCII: lambda data: codecs.charmap_decode(data, "strict", _VISCII_TABLE)[0],
        CP1258: _cp1258,
        UTF8: lambda data: data.decode("utf-8"),
        MOJIBAKE: _mojibake,
    }


# -- Telling which one a line is in -------------------------------------------------------------

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
# Vowel nuclei: ending in a glide (no final consonant may follow), taking one or not, needing one.
_OPEN = (
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu oai oay oeo uây uôi uya uyu ươi "
    "ươu yêu"
)
_EITHER = "a e ê i o ô ơ u ư y oa oe uê uy"
_CLOSED = "ă â iê oă uâ uô ươ yê uyê oo"
_CODA = "ch|ng|nh|[cmnptk]"  # k: the Central Highlands' names (Đắk Lắk)


def _alternatives(nuclei: str) -> str:
    return "|".join(sorted(nuclei.split(), key=len, reverse=True))


_SYLLABLE_RE = re.compile(
    f"{_ONSET}(?:(?:{_alternatives(_OPEN)})"
    f"|(?:{_alternatives(_EITHER)})(?P<coda>{_CODA})?"
    f"|(?:{_alternatives(_CLOSED)})(?P<closing>{_CODA}))"
)
_STOPS = frozenset(("c", "ch", "p", "t", "k"))
_STOP_TONES = frozenset(("", "\u0301", "\u0323"))  # the only tones a stop coda allows
# Characters a Vietnamese text uses beyond ASCII and its letters.
_PUNCTUATION = "\u00a0“”‘’–—…•·°«»×÷±≤≥€§©®№"
_WORD_RE = re.compile(r"[^\W\d_]+")
_JUNK_RE = re.compile(f"[^\\x00-\\x7f{''.join(sorted(_LETTERS))}{_PUNCTUATION}]")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether *word* can be written in Vietnamese: one syllable, one tone at most, the tone one
    its final consonant allows (only sắc and nặng after c, ch, p, t)."""
    tones = [char for char in unicodedata.normalize("NFD", word.lower()) if char in _TONE_MARKS]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize(
        "NFC",
        "".join(c for c in unicodedata.normalize("NFD", word.lower()) if c not in _TONE_MARKS),
    )
    match = _SYLLABLE_RE.fullmatch(base)
    if match is None:
        return False
    coda = match.group("coda") or match.group("closing") or ""
    return coda not in _STOPS or (tones[0] if tones else "") in _STOP_TONES


def score(text: str) -> int:
    """How Vietnamese a reading looks: +1 a word with a letter beyond ASCII that is a syllable,
    -2 one that is not, -2 each character no Vietnamese text holds."""
    # Counted first (in C), then only the distinct words beyond ASCII are looked at: words of
    # ASCII letters read alike in every encoding.
    words = Counter(_WORD_RE.findall(text))
    total = sum(
        count if is_syllable(word) else -2 * count
        for word, count in words.items()
        if not word.isascii()
    )
    return total - 2 * len(_JUNK_RE.findall(text))


# Characters in UTF-8 read as Windows-1252 that start a Vietnamese letter's bytes.
_MOJIBAKE_HINT = re.compile("[ÃÄÅÆáº»]")
# The document's own encoding is chosen on its first legacy lines, up to this many bytes.
_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class Run:
    """Lines first..last (from 1) read in one encoding."""

    first: int
    last: int
    encoding: str

    def __str__(self) -> str:
        if self.first == self.last:
            lines = f"dòng {self.first}"
        else:
            lines = f"dòng {self.first}–{self.last}"
        if self.encoding == MOJIBAKE:
            return f"{lines}: chữ Unicode bị đọc nhầm thành Windows-1252; đã sửa lại"
        return f"{lines}: {LABELS[self.encoding]}; đã chuyển sang Unicode"


@dataclass(frozen=True)
class Decoded:
    text: str
    runs: tuple[Run, ...]  # the lines not in UTF-8 as written, each run in one encoding

    @property
    def notes(self) -> list[str]:
        return [str(run) for run in self.runs]

    @property
    def encodings(self) -> list[str]:
        """The encodings found, the most lines first."""
        lines: Counter[str] = Counter()
        for run in self.runs:
            lines[run.encoding] += run.last - run.first + 1
        return [encoding for encoding, _ in lines.most_common()]


def to_unicode(data: bytes) -> Decoded:
    """Bytes of a text in UTF-8 or any of the legacy encodings, mixed line by line, as NFC
    Unicode. Raises UndecidableEncoding for a line no encoding reads as Vietnamese.

    Linear in the text: the legacy lines are decoded together in the document's main encoding
    (the one that reads its first lines best), and only a line that this reading leaves with a
    word no Vietnamese writes is read every other way.
    """
    lines = data.split(b"\n")
    texts: list[str] = []
    encodings: list[str] = []  # per line; "" for ASCII, which every encoding reads alike
    legacy: list[int] = []
    for number, raw in enumerate(lines):
        if raw.isascii():
            texts.append(raw.decode("ascii"))
            encodings.append("")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(number)
            texts.append("")
            encodings.append("")
            continue
        encoding, text = _repaired(text)
        texts.append(text)
        encodings.append(encoding)
    if legacy:
        _read_legacy([lines[number] for number in legacy], legacy, texts, encodings)
    return Decoded(unicodedata.normalize("NFC", "\n".join(texts)), _runs(encodings))


def repair(text: str) -> Decoded:
    """Unicode text whose lines may be mojibake (UTF-8 read as Windows-1252), repaired."""
    texts, encodings = [], []
    for line in text.split("\n"):
        encoding, line = _repaired(line)
        texts.append(line)
        encodings.append(encoding)
    return Decoded("\n".join(texts), _runs(encodings))


def _repaired(text: str) -> tuple[str, str]:
    """A Unicode line as it was meant: mojibake undone, and letters an old font's codes became
    when the text was taken out of a .doc, a PDF or a clipboard as Windows-1252 ("KÕt luËn")
    read in that font's encoding. What reads no better stays as it is."""
    if text.isascii():
        return "", text
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        if not _MOJIBAKE_HINT.search(text):
            return UTF8, text  # Vietnamese letters beyond Windows-1252: Unicode as meant
        raw = b""
    readings = {UTF8: text}
    if _MOJIBAKE_HINT.search(text):
        with suppress(UnicodeError):
            fixed = unicodedata.normalize("NFC", _mojibake(text.encode("utf-8")))
            # Bytes that decode as UTF-8 twice over are mojibake: Unicode text as meant
            # almost never does (it would need "Ã" before a sign like "©").
            if not _JUNK_RE.search(fixed):
                return MOJIBAKE, fixed
            readings[MOJIBAKE] = fixed
    if raw:
        for encoding in LEGACY:
            try:
                readings[encoding] = decode(raw, encoding)
            except UnicodeDecodeError:
                continue
    scores = {encoding: score(reading) for encoding, reading in readings.items()}
    best = max(scores, key=lambda encoding: (scores[encoding], encoding == UTF8))
    return best, readings[best]


def _read_legacy(
    raws: list[bytes], numbers: list[int], texts: list[str], encodings: list[str]
) -> None:
    data = b"\n".join(raws)
    sample = data[:_SAMPLE]
    main = max(LEGACY, key=lambda encoding: _sample_score(sample, encoding))
    try:
        read = decode(data, main).split("\n")
    except UnicodeDecodeError:  # a byte the main encoding lacks: every line on its own
        read = [""] * len(raws)
        suspects = list(range(len(raws)))
    else:
        suspects = _suspects(raws, data, main)
    for index, number in enumerate(numbers):
        texts[number], encodings[number] = read[index], main
    # A line's reading depends on its bytes alone (and the main encoding): a line repeated
    # (a signature, a heading on every page) is weighed once.
    chosen_for: dict[bytes, tuple[str, str] | None] = {}
    for index in suspects:
        number, raw = numbers[index], raws[index]
        if raw not in chosen_for:
            chosen_for[raw] = _best_reading(raw, main)
        chosen = chosen_for[raw]
        if chosen is None:
            raise UndecidableEncoding(number + 1)
        encodings[number], texts[number] = chosen


def _best_reading(raw: bytes, main: str) -> tuple[str, str] | None:
    """The encoding that reads *raw* as the most Vietnamese and its reading; None if none
    reads it as Vietnamese at all."""
    readings = {}
    for encoding in LEGACY:
        try:
            readings[encoding] = decode(raw, encoding)
        except UnicodeDecodeError:
            continue
    scores = {encoding: score(text) for encoding, text in readings.items()}
    best = max(scores.values(), default=-1)
    if best < 0:
        return None
    # A tie goes the document's way.
    chosen = main if scores.get(main) == best else max(scores, key=scores.__getitem__)
    return chosen, readings[chosen]


def _sample_score(sample: bytes, encoding: str) -> int:
    try:
        return score(decode(sample, encoding))
    except UnicodeDecodeError:
        return -(10**9)


_FEW_BAD_TOKENS = 16


def _suspects(raws: list[bytes], data: bytes, main: str) -> list[int]:
    """The lines (of *raws*, joined in *data*) that the *main* encoding reads with a character
    or a word no Vietnamese text has.

    No encoding here reads across ASCII whitespace, so each distinct token of the bytes is
    read and judged once (a text repeats its words: thousands of distinct tokens in megabytes),
    then the lines holding a bad token are found among the bytes."""
    bad = {
        token
        for token in set(data.split())
        if not token.isascii() and not _vietnamese_token(decode(token, main))
    }
    if not bad:
        return []
    # A line holds a bad token if one is found in it (a fast scan when they are few) and
    # is one of its tokens.
    few = len(bad) <= _FEW_BAD_TOKENS
    return [
        number
        for number, raw in enumerate(raws)
        if (not few or any(token in raw for token in bad)) and not bad.isdisjoint(raw.split())
    ]


def _vietnamese_token(token: str) -> bool:
    """Whether a token (words and the signs around them) could be in a Vietnamese text."""
    if _JUNK_RE.search(token):
        return False
    return all(word.isascii() or is_syllable(word) for word in _WORD_RE.findall(token))


def _runs(encodings: list[str]) -> tuple[Run, ...]:
    """Contiguous lines in one encoding; lines of ASCII ("") join the run they sit in."""
    runs: list[Run] = []
    for number, encoding in enumerate(encodings, start=1):
        if not encoding:
            continue
        if runs and runs[-1].encoding == encoding:
            runs[-1] = Run(runs[-1].first, number, encoding)
        else:
            runs.append(Run(number, number, encoding))
    return tuple(run for run in runs if run.encoding != UTF8)
