"""PDF/A-2b from the .docx, by LibreOffice Writer run headless: one process converts a batch.

LibreOffice is a system dependency (Debian's libreoffice-writer-nogui, with fonts-liberation2
standing in for Times New Roman, metric for metric); .ci/run installs both.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

# writer_pdf_Export with SelectPdfVersion 2: PDF/A-2b, fonts embedded, as archives keep.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
TIMEOUT_SECONDS = 600


class ConversionError(RuntimeError):
    """LibreOffice is missing or failed; the message says so in Vietnamese."""


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        raise ConversionError(
            "Không tạo được PDF: máy chủ chưa cài LibreOffice (libreoffice-writer-nogui)."
        )
    return path


def convert_to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """PDF/A-2b of each .docx, by file stem, made by one LibreOffice process."""
    if not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="issuing-") as folder:
        root = Path(folder)
        sources = []
        for stem, data in documents.items():
            source = root / f"{stem}.docx"
            source.write_bytes(data)
            sources.append(str(source))
        out = root / "pdf"
        # A profile of its own: a person's LibreOffice, or another conversion, may be running.
        command = [
            soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--convert-to",
            PDFA_FILTER,
            "--outdir",
            str(out),
            *sources,
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise ConversionError(
                f"LibreOffice không chuyển được văn bản sang PDF: {error}"
            ) from None
        pdfs = {stem: out / f"{stem}.pdf" for stem in documents}
        missing = [stem for stem, path in pdfs.items() if not path.exists()]
        if missing:
            raise ConversionError(f"LibreOffice không tạo được PDF cho: {', '.join(missing)}.")
        return {stem: path.read_bytes() for stem, path in pdfs.items()}


# Liberation Serif's line height is 1.149 of its size; the form's body is spaced 1.15.
_LINE_PITCH = 1.149 * 1.15
_DASHES = "-–"
# template.docx's default tab stop: 720 twips, half an inch.
_TAB_STOP_PT = 36


def pdf_text(data: bytes, *, skip: tuple[str, ...] = ()) -> str:
    """The paragraphs of a PDF we made, as the parser reads text: one blank line between them.

    A PDF keeps lines, not paragraphs: a line joins the one above unless the gap between them
    is wider than a line (every paragraph of the form is followed by some space) or, at the
    top of a page, it starts away from the left margin (a first-line indent). A line that
    starts away from the margin inside a paragraph follows a line break. The lines of
    *skip* (the draft mark of the page header) are dropped.
    """
    from pypdf import PdfReader  # only this reader needs it

    paragraphs: list[str] = []
    left = None
    for page in PdfReader(io.BytesIO(data)).pages:
        lines: list[tuple[float, float, float, str]] = []

        def visit(text, cm, tm, font, size, lines=lines):
            if text.strip():
                lines.append((tm[4], tm[5], size * tm[0], text.strip()))

        page.extract_text(visitor_text=visit)
        previous = None
        for x, y, size, text in lines:
            if text in skip:
                continue
            left = x if left is None else min(left, x)
            indented = x > left + 1
            if previous is None:
                new = not paragraphs or indented
            else:
                gap = previous - y
                new = gap < 0 or gap > _LINE_PITCH * size + 1
            if new:
                paragraphs.append(text)
            elif abs(x - left - _TAB_STOP_PT) < 1:  # after a line break, at the first tab
                paragraphs[-1] += "\n" + text
            else:
                paragraphs[-1] = _joined(paragraphs[-1], text)
            previous = y
    return "\n\n".join(paragraphs) + "\n"


def _joined(line: str, following: str) -> str:
    """A line wrapped after a dash kept no space when the dash joined two words ("kinh tế
    -xã hội"); a dash before a number cannot end a line (Unicode line breaking), nor a dash
    after a space, so there the break was a space."""
    if line[-1] in _DASHES and line[-2:-1] != " " and not following[:1].isdigit():
        return line + following
    return f"{line} {following}"
