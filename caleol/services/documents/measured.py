"""Paragraphs that are parsed and broken into lines as rarely as reportlab allows.

Why: a PV of 60 dwellings holds some 5,000 table-cell paragraphs, four in five of them
repeats (column headers, labels, « oui », « non »), and reportlab wraps every cell two
or three times (the start of a dwelling kept with its table, the decisions kept
together, the frame, a table split across pages, then the drawing itself): parsing
and line breaking were two thirds of the time of the PV.

What is drawn is unchanged: a parse depends on the markup and the style only, a line
breaking on the parse and the width only, and reportlab changes neither in place
(a line breaking makes its own list of words); a paragraph split across two pages
breaks its lines anew, on its own, before it is cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Paragraph, Table


@dataclass(frozen=True)
class _Parse:
    """What reportlab's `Paragraph._setup` made of one markup in one style."""

    style_given: Any  # the key holds its id(): kept alive, and checked, with it
    text: str
    style: Any
    frags: list[Any]
    bullet: Any


@dataclass
class _Sharing:
    """The parses and line breakings of one document's paragraphs."""

    parses: dict[tuple[str, int], _Parse] = field(default_factory=dict)
    # (markup, id(style), width) → the attributes reportlab's wrap set
    layouts: dict[tuple[str, int, float], dict[str, Any]] = field(default_factory=dict)


# A context variable: a document built in another thread has its own.
_SHARING: ContextVar[_Sharing | None] = ContextVar("caleol_paragraph_sharing", default=None)


@contextmanager
def shared_layout() -> Iterator[None]:
    """Paragraphs made inside share the parse, and the line breaking at a given width,
    of an identical paragraph made before them.

    Scoped to one document: the memory held goes with its story, and each document
    (each run of a benchmark) pays for its own parses.
    """
    token = _SHARING.set(_Sharing())
    try:
        yield
    finally:
        _SHARING.reset(token)


class MeasuredParagraph(Paragraph):
    """A reportlab `Paragraph` that breaks its lines again only when its width changes,
    and shares its parse and line breaking with its twins (`shared_layout`)."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any,  # noqa: N803
               cleaner: Any) -> None:
        # reportlab's own parse (a private method, missing from its stubs)
        setup = super()._setup  # type: ignore[misc]
        sharing = _SHARING.get()
        if sharing is None or frags is not None or not isinstance(text, str) or bulletText:
            setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, id(style))
        parse = sharing.parses.get(key)
        if parse is None or parse.style_given is not style:
            setup(text, style, bulletText, frags, cleaner)
            parse = _Parse(style, self.text, self.style, self.frags, self.bulletText)
            sharing.parses[key] = parse
        else:
            setup(parse.text, parse.style, parse.bullet, parse.frags, cleaner)
        self._sharing = sharing
        self._parse_key = key
        self._parse = parse

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        state = self.__dict__
        measured: tuple[float, tuple[float, float]] | None = state.get("_measured")
        # `split` may drop the line breaking (`del self.blPara`): then measure again
        if measured is not None and measured[0] == availWidth and "blPara" in state:
            return measured[1]
        sharing: _Sharing | None = state.get("_sharing")
        if sharing is None or state.get("_private"):
            size = super().wrap(availWidth, availHeight)
        else:
            key = (*self._parse_key, availWidth)
            layout = sharing.layouts.get(key)
            if layout is None:
                before = dict(state)
                size = super().wrap(availWidth, availHeight)
                sharing.layouts[key] = {name: value for name, value in state.items()
                                        if before.get(name, _MISSING) is not value}
            else:
                state.update(layout)
                size = (float(self.width), float(self.height))
        self._measured = (availWidth, size)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        """Cutting a paragraph changes its words: it first breaks its lines on its
        own, from its parse, so that no twin shares what is cut."""
        if "_sharing" in self.__dict__ and not self.__dict__.get("_private"):
            self._private = True
            self.frags = self._parse.frags
            self.__dict__.pop("_measured", None)
            super().wrap(availWidth, availHeight)
        return super().split(availWidth, availHeight)


_MISSING = object()


class MeasuredTable(Table):
    """A reportlab `Table` that sizes its rows again only when its width changes or it
    may not fit: a dwelling's tables were sized twice or three times (the start of a
    dwelling kept with its candidates, the decisions kept together, then the frame).

    reportlab stops sizing the rows of a table once they exceed the height available;
    a table it sized wholly, at this width, within that height, it would size the same
    way again, so its sizes are reused only then.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        measured: tuple[float, tuple[float, float]] | None = self.__dict__.get("_measured")
        if measured is not None and measured[0] == availWidth and measured[1][1] <= availHeight:
            self.availWidth = availWidth  # as Table.wrap does
            return measured[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        # rows sized (not given), all of them: reportlab's `_calc_height` did not stop
        heights: list[float | None] = self._rowHeights  # type: ignore[attr-defined]
        whole = None not in heights and self._hmax == len(heights)  # type: ignore[attr-defined]
        self._measured = (availWidth, size) if whole else None
        return size
