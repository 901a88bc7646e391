"""PDF loading: pages of clean text lines with positions, fast.

pdfplumber builds a Python object per character (about 140 ms a page here); pdfium already
knows the text. So the bulk text of a page comes from pdfium in one call, and positions and
font sizes are asked of pdfium only for the few characters that need them: the first character
of every line (top, left edge, size) and every digit run (is it a superscript footnote marker?).
That keeps a page at a few milliseconds; bench/bench_loader.py measures it against pdfplumber.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import math
import os
import re
import stat
import statistics
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from uprdex.pipeline.errors import BadDocumentError
from uprdex.pipeline.model import Line, LoadedDocument, Page
from uprdex.pipeline.names import display_name, path_text
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.text import Vocabulary, load_vocabulary, repair_quotes

__all__ = ["load_pdf", "read_with_hash"]

# Running headers and footers, as printed at the top or bottom of UN pages:
#   "A/HRC/28/15", " A/HRC/ 8/29 ", "14", "Page 13", "A/HRC/12/17 Page 16", "page 7" (Burundi
#   2009), "A/HRC/12/5*" (Chad 2009, a reissued report: the asterisk is on every page) and
#   "A/HRC24/7" (Uzbekistan 2013, a slash left out), "A/HRC/WG.6/7/SVN/1/Corr.1". The symbol is
#   its "/"-joined parts and nothing else: a line that only opens with one goes on with words
#   ("A/HRC/8/29 and its addendum were ...") and is text, wherever it stands.
HEADER_FOOTER = re.compile(
    r"""^\s*(?:
        A\s*/\s*HRC\s*(?:/\s*|(?=\d))[\w.-]+(?:\s*/\s*[\w.-]+)*\*?  # document symbol
        (?:\s*[Pp]age\s+\d+)?                              # (+ page)
      | (?:[Pp]age\s+)?\d{1,4}                             # page number
    )\s*$""",
    re.VERBOSE,
)
# Lines that are never body text wherever they stand: the United Nations job number and the
# bar code drawn in a private-use font. "GE.14-23930 (E)", "GE.13-12565 15", "*1410056*"
PRINT_MARKS = re.compile(
    r"^\s*(?:GE\.\s*\d{2}\s*-\s*\d{4,6}[\w\s()]*|[\ue000-\uf8ff*\s]+|\*\d{7,}\*)\s*$"
)
# Digit runs that may be superscript footnote markers: "(Mexico 4)", "118.204" printed 118.20⁴.
_DIGITS = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")  # a line without one has no marker _DIGITS could find
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PDFIUM_CAUSE = re.compile(r"\(PDFium: ([^()]+)\)")
_PDF_MAGIC = b"%PDF-"


# A file no second read gets past: one the user may not read, a folder, or a pipe or a device
# named .pdf (`_read_once`'s EINVAL). A file gone is a FileNotFoundError: not read again either.
_LASTING = frozenset({errno.EACCES, errno.EPERM, errno.EISDIR, errno.EINVAL})
READ_TRIES = 3
"""A file whose reading fails otherwise (an EIO: a failing disk, a network share gone, that may
answer next time) is read this many times, `READ_PAUSE` seconds apart, before it fails."""
READ_PAUSE = 1.0


def read_with_hash(path: Path) -> tuple[bytes, str]:
    """A file's bytes and sha256, read whole once (`READ_TRIES` times, for an error that may
    pass); the last OSError when it cannot be read, a FileNotFoundError when it is gone. Every
    command reads a file it is given here: `uprdex ingest`, `import`, `run` read alike."""
    tries = 1
    while True:
        try:
            return _read_once(path)
        except OSError as error:
            lasting = error.errno in _LASTING or isinstance(error, FileNotFoundError)
            if lasting or tries == READ_TRIES:
                raise
        tries += 1
        time.sleep(READ_PAUSE)


def _read_once(path: Path) -> tuple[bytes, str]:
    """Read a file once and return its bytes and sha256; an OSError for what is not a regular
    file: a named pipe's open waits for a writer forever, /dev/zero never ends."""
    kind = _special_kind(os.stat(path).st_mode)
    if kind is not None:
        raise OSError(errno.EINVAL, f"{kind}, not a file", str(path))
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def _special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ("a named pipe"); None for a regular file."""
    kinds = {
        stat.S_ISDIR: "a folder",
        stat.S_ISFIFO: "a named pipe",
        stat.S_ISCHR: "a device",
        stat.S_ISBLK: "a device",
        stat.S_ISSOCK: "a socket",
    }
    return next((kind for test, kind in kinds.items() if test(mode)), None)


def load_pdf(
    path: Path, settings: LoaderSettings | None = None, data: bytes | None = None
) -> LoadedDocument:
    """Read a PDF into pages of lines; raises BadDocumentError naming what is wrong."""
    settings = settings or LoaderSettings()
    if data is None:
        data, sha256 = read_with_hash(path)
    else:
        sha256 = hashlib.sha256(data).hexdigest()
    pdf = _open(path, data)
    vocabulary = load_vocabulary()
    warnings: tuple[str, ...] = ()
    try:
        if not pdfium.raw.FPDF_DocumentHasValidCrossReferenceTable(pdf.raw):
            # pdfium rebuilt the file's index of objects (pdfminer, and so pdfplumber, give
            # up with "Cannot find Root object"): the text is read, but pages may be missing.
            warnings = (
                "damaged PDF (invalid cross-reference table), repaired on reading: check "
                "that no page is missing, or download it again",
            )
        pages: list[Page] = []
        first_page_text = ""
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as error:
                raise BadDocumentError(
                    display_name(path),
                    f"broken PDF (page {index + 1}: {error}); download it again or repair it",
                ) from error
            try:
                textpage = page.get_textpage()
                try:
                    raw_text = textpage.get_text_range()
                    if index == 0:
                        first_page_text = raw_text.replace("\r\n", "\n")
                    pages.append(
                        _read_page(textpage, raw_text, index + 1, page, settings, vocabulary)
                    )
                finally:
                    textpage.close()
            finally:
                page.close()
    finally:
        pdf.close()
    return LoadedDocument(sha256, path_text(path), tuple(pages), first_page_text, warnings)


def _open(path: Path, data: bytes) -> pdfium.PdfDocument:
    """Open with pdfium, turning its errors into messages a researcher can act on."""
    name = display_name(path)
    head = data[:1024]
    if not data:
        raise BadDocumentError(name, "empty file (0 bytes)")
    if _PDF_MAGIC not in head:
        kind = "an HTML page" if b"<html" in head.lower() else "not a PDF"
        raise BadDocumentError(name, f"{kind} (no %PDF header); save the real PDF")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise BadDocumentError(
                name, "password-protected; remove the password and drop it again"
            ) from error
        # PDFium says "Failed to load document (PDFium: Data format error).": its cause alone.
        cause = _PDFIUM_CAUSE.search(message)
        detail = f"PDFium: {cause[1]}" if cause else message.rstrip(".")
        raise BadDocumentError(
            name, f"broken PDF ({detail}); download it again or repair it"
        ) from error


def _read_page(
    textpage: pdfium.PdfTextPage,
    raw_text: str,
    number: int,
    page: pdfium.PdfPage,
    settings: LoaderSettings,
    vocabulary: Vocabulary,
) -> Page:
    """Split pdfium's page text into positioned lines and clean them."""
    height = page.get_height()
    char_count = textpage.count_chars()
    if len(raw_text.strip()) < settings.min_chars_per_page:
        return Page(number, (), height, has_text_layer=False)
    # pdfium's text has one character per char index; a mismatch (rare surrogate pairs) only
    # blurs positions, so positions are then read at clamped indexes.
    spans = list(_line_spans(raw_text))
    boxes = [_first_char_box(textpage, raw_text, start, end, char_count) for start, end in spans]
    sizes = [box[2] for box in boxes if box[2] > 0]
    body_size = statistics.median(sizes) if sizes else 0.0
    lines: list[Line] = []
    for (start, end), (top_pdf, x0, size) in zip(spans, boxes, strict=True):
        top = height - top_pdf
        text = raw_text[start:end]
        if _is_header_or_footer(text, top, height, settings.margin):
            continue
        limit = body_size * settings.superscript_ratio
        if lines and _is_split_marker(textpage, text, start, size, limit, lines[-1], top):
            before = lines[-1]
            lines[-1] = replace(before, markers=(*before.markers, (len(before.text), text.strip())))
            continue
        text, markers = _split_markers(textpage, text, start, size, char_count, settings)
        text = repair_quotes(vocabulary.repair(text)).strip()
        if not text:
            continue
        is_note = body_size > 0 and size < body_size * 0.9 and top > height * 0.5
        lines.append(
            Line(text, number, round(top, 1), round(x0, 1), round(size, 1), is_note, markers)
        )
    return Page(number, tuple(lines), height, has_text_layer=True, ruled=_draws_grid(page))


# A table's borders, as Word and LibreOffice draw them: thin filled rectangles or strokes,
# horizontal ones across a cell and vertical ones down a row. A UN report's body page draws one
# rule (above its notes) and its first page a logo: no vertical rule.
_RULE_WIDTH = 2.5  # pt: thicker is a shape, not a rule
_RULE_LENGTH = 8.0  # pt: shorter is a dash or a bullet
_GRID_RULES = 2  # of each direction
_FEW_PATHS = 2 * _GRID_RULES  # a page drawing fewer paths cannot hold a grid


def _draws_grid(page: pdfium.PdfPage) -> bool:
    """Whether the page draws at least two horizontal and two vertical rules. Counting the
    page's path objects through pdfium's C API costs about 0.1 ms a page; their bounds are
    read only on a page that draws enough of them."""
    raw = page.raw
    paths = [
        obj
        for obj in (
            pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))
        )
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH
    ]
    if len(paths) < _FEW_PATHS:
        return False
    horizontal = vertical = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in paths:
        if not pdfium_c.FPDFPageObj_GetBounds(
            obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
        ):
            continue
        width, height = right.value - left.value, top.value - bottom.value
        if height < _RULE_WIDTH and width > _RULE_LENGTH:
            horizontal += 1
        elif width < _RULE_WIDTH and height > _RULE_LENGTH:
            vertical += 1
        if horizontal >= _GRID_RULES and vertical >= _GRID_RULES:
            return True
    return False


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) character offsets of the non-blank lines of pdfium's text."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        if text[start : match.start()].strip():
            yield start, match.start()
        start = match.end()
    if text[start:].strip():
        yield start, len(text)


def _first_char_box(
    textpage: pdfium.PdfTextPage, text: str, start: int, end: int, char_count: int
) -> tuple[float, float, float]:
    """(top in PDF coordinates, left edge, font size) of the line's first visible character."""
    index = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    index = min(index, char_count - 1)
    left, _bottom, _right, top = textpage.get_charbox(index)
    return top, left, _size(textpage, index)


def _size(textpage: pdfium.PdfTextPage, index: int) -> float:
    """The printed size of a character: its font size scaled by the text matrix.

    FPDFText_GetFontSize alone says 1.0 for text scaled by its matrix, as many UN PDFs are;
    loose boxes vary with each font's ascent and descent.
    """
    size = float(pdfium_c.FPDFText_GetFontSize(textpage.raw, index))
    pdfium_c.FPDFText_GetMatrix(textpage.raw, index, _matrix)
    scale = math.hypot(_matrix.c, _matrix.d)
    return size * scale if scale > 0 else size


def _is_header_or_footer(text: str, top: float, height: float, margin: float) -> bool:
    if PRINT_MARKS.match(text):
        return True
    in_band = top < height * margin or top > height * (1 - margin)
    return in_band and HEADER_FOOTER.match(text) is not None


def _split_markers(
    textpage: pdfium.PdfTextPage,
    text: str,
    start: int,
    line_size: float,
    char_count: int,
    settings: LoaderSettings,
) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Remove superscript footnote markers from a line, returning them with their offsets."""
    if line_size <= 0 or not _ANY_DIGIT.search(text):
        return text, ()
    limit = line_size * settings.superscript_ratio
    markers: list[tuple[int, str]] = []
    kept: list[str] = []
    cursor = 0
    for match in _DIGITS.finditer(text):
        # The marker may be glued to a number: "118.20" + superscript "4" reads "118.204".
        first_small = match.end()
        for offset in range(match.end() - 1, match.start() - 1, -1):
            index = min(start + offset, char_count - 1)
            if not 0 < _size(textpage, index) <= limit:
                break
            first_small = offset
        if first_small == match.end():
            continue
        index = min(start + first_small, char_count - 1)
        if _is_raised(textpage, index):
            kept.append(text[cursor:first_small])
            markers.append((sum(len(part) for part in kept), text[first_small : match.end()]))
            cursor = match.end()
    if not markers:
        return text, ()
    kept.append(text[cursor:])
    return "".join(kept), tuple(markers)


# "7" alone: a superscript marker pdfium put on a line of its own, as it sits higher than the
# line it is printed at the end of ("... for its implementation (Iraq)" then "7", Sri Lanka 2012,
# A/HRC/22/16 p. 15 127.27; "(New Zealand);" then "6", Botswana 2013 p. 18).
_LONE_DIGITS = re.compile(r"^\s*\d{1,3}\s*$")


def _is_split_marker(
    textpage: pdfium.PdfTextPage,
    text: str,
    start: int,
    size: float,
    limit: float,
    before: Line,
    top: float,
) -> bool:
    """Whether a line is only a footnote marker of the line before: digits printed at most
    `limit` (the superscript share of the page's body size), on that line's height (not a
    note's marker line, printed below the text above it) and raised above its last character."""
    if not _LONE_DIGITS.match(text) or not 0 < size <= limit:
        return False
    if abs(top - before.top) > before.size:
        return False
    index = start + len(text) - len(text.lstrip())
    return _is_raised(textpage, index)


_matrix = pdfium_c.FS_MATRIX()
_left = ctypes.c_double()
_right = ctypes.c_double()
_bottom = ctypes.c_double()
_top = ctypes.c_double()


def _is_raised(textpage: pdfium.PdfTextPage, index: int) -> bool:
    """A small digit is a marker when it sits above the baseline of the text before it.

    Small digits on the baseline (a table printed in small type) are not markers.
    """
    if index == 0:
        return True
    pdfium_c.FPDFText_GetCharBox(textpage.raw, index, _left, _right, _bottom, _top)
    digit_bottom = _bottom.value
    previous = index - 1
    while previous > 0 and chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, previous)).isspace():
        previous -= 1
    pdfium_c.FPDFText_GetCharBox(textpage.raw, previous, _left, _right, _bottom, _top)
    return digit_bottom > _bottom.value + 0.5
