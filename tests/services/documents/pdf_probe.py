"""Read rendered PDFs back with poppler's tools: text, word boxes, page count.

Independent of reportlab, so the tests check what a reader actually gets.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _with_file(pdf: bytes, args: list[str], *, to_stdout: bool = True) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        tail = ["-"] if to_stdout else []
        result = subprocess.run([*args, str(path), *tail], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def text_of(pdf: bytes) -> str:
    """Whole text in content order, every run of whitespace (incl. NBSP) as one space."""
    raw = _with_file(pdf, ["pdftotext", "-raw", "-enc", "UTF-8"])
    return re.sub(r"\s+", " ", raw.replace("\u00a0", " "))


def pages_text(pdf: bytes) -> list[str]:
    raw = _with_file(pdf, ["pdftotext", "-raw", "-enc", "UTF-8"])
    return [re.sub(r"\s+", " ", page.replace("\u00a0", " ")) for page in raw.split("\f")[:-1]]


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    y_min: float  # from the top of the page
    x_max: float
    y_max: float


@dataclass(frozen=True)
class PageBox:
    width: float
    height: float


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def words_of(pdf: bytes) -> tuple[list[PageBox], list[Word]]:
    html = _with_file(pdf, ["pdftotext", "-bbox", "-enc", "UTF-8"])
    pages: list[PageBox] = []
    words: list[Word] = []
    for chunk in html.split("<page ")[1:]:
        match = PAGE.match("<page " + chunk)
        assert match
        pages.append(PageBox(float(match[1]), float(match[2])))
        for w in WORD.finditer(chunk):
            words.append(Word(len(pages), w[5], float(w[1]), float(w[2]),
                              float(w[3]), float(w[4])))
    return pages, words


def layout_lines(pdf: bytes) -> list[str]:
    """Every printed line as laid out on its page (`pdftotext -layout`), stripped."""
    raw = _with_file(pdf, ["pdftotext", "-layout", "-enc", "UTF-8"])
    return [line.strip() for line in raw.splitlines() if line.strip()]


def line_starts(pdf: bytes) -> list[str]:
    """The first word of every line of every column (a column is split off by a run of
    two spaces or more): where a line wrapped, what it wrapped before."""
    starts = []
    for line in layout_lines(pdf):
        starts += [cell.strip() for cell in re.split(r"\s{2,}", line) if cell.strip()]
    return starts


def fonts_of(pdf: bytes) -> list[dict[str, str]]:
    """`pdffonts` rows: name, type, encoding, emb, sub, uni."""
    out = _with_file(pdf, ["pdffonts"], to_stdout=False)
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4],
                         "uni": parts[-3]})
    return rows
