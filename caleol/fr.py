"""French formatting of money, dates and rates: one place for the UI and the documents.

Pure standard library so every layer (rules explanations included) can use it. Also
the one time zone of caleol's wall-clock times (`PARIS`): the commission meets in
France, its séance times are Paris times and its documents print Paris times, whatever
zone the computer is set to; stored instants are aware UTC (`db.models.base`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")  # tzdata provides it where the system has no IANA base

NBSP = "\u00a0"  # no-break space: in WinAnsi, so any PDF font renders it
# The narrow no-break space (U+202F) would be finer, but reportlab breaks lines at it:
# every document uses U+00A0, which it keeps together.

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)

# Where French typography wants a no-break space (an ordinary space typed there is
# replaced): before « : ; ! ? € % », inside « », between the groups of a number, after
# « n° ».
_SPACING = (
    (re.compile(r"[ \u202f]+(?=[:;!?€%»])"), NBSP),
    (re.compile(r"«[ \u202f]+"), f"«{NBSP}"),
    (re.compile(r"(?<=\d)[ \u202f](?=\d{3}(?![\d/]))"), NBSP),
    (re.compile(r"\bn°[ \u202f]+"), f"n°{NBSP}"),
)


def french_spacing(text: str) -> str:
    """No-break spaces where French typography wants them, so no line of a document
    starts with « : », « € » or « % », and « » never part from their words.

    `Total : 1 873 €` → `Total\u00a0: 1\u00a0873\u00a0€`. Idempotent; a colon written
    without a space before it (`14:02`, `https://`) is left alone.
    """
    for pattern, replacement in _SPACING:
        text = pattern.sub(replacement, text)
    return text


def counted(count: int, singular: str, plural: str = "") -> str:
    """`counted(3, "logement")` → `3 logements`; never « logement(s) » once the count is
    known (0 and 1 take the singular, as French does)."""
    return f"{count} {singular if count < 2 else plural or singular + 's'}"


_QUANTS = {places: Decimal(1).scaleb(-places) for places in range(7)}


def format_decimal(value: Decimal | int, places: int = 2) -> str:
    """`Decimal("1234.5")` → `1 234,50` (no-break space, decimal comma, half-up).

    Called for every figure of every explanation (a séance's checks format some
    30 000 numbers, most of them the same thresholds, floors and ceilings again), so
    results are memoised and it leans on Decimal's own grouping format rather than a
    Python loop. Equal values give the same text whatever their exponent, so the
    cache is safe.
    """
    return _format_decimal(value, places)


@lru_cache(maxsize=4096)
def _format_decimal(value: Decimal | int, places: int) -> str:
    quant = _QUANTS.get(places) or Decimal(1).scaleb(-places)
    amount = Decimal(value).quantize(quant, rounding=ROUND_HALF_UP)
    if not amount:
        amount = abs(amount)  # never print "-0,00"
    return format(amount, ",f").replace(",", NBSP).replace(".", ",")


def format_money(value: Decimal | int, *, cents: bool = False, places: int = 2) -> str:
    """`Decimal("1234.56")` → `1 234,56 €`; with `cents=True` an integer of cents."""
    amount = Decimal(value) / 100 if cents else Decimal(value)
    return f"{format_decimal(amount, places)}{NBSP}€"


def format_percent(fraction: Decimal, places: int = 1) -> str:
    """A fraction `Decimal("0.3")` → `30,0 %`."""
    return f"{format_decimal(fraction * 100, places)}{NBSP}%"


def format_date(value: date) -> str:
    """`date(2026, 3, 10)` → `10 mars 2026`; the 1st is written `1er`."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def format_short_date(value: date) -> str:
    """`date(2026, 3, 10)` → `10/03/2026`, for dense tables."""
    return value.strftime("%d/%m/%Y")


def parse_decimal(text: str) -> Decimal:
    """Accepts `1 234,56`, `1234.56`, `1 234,56 €` (what French users and Excel type).

    Raises:
        ValueError: with a French message when the text is not a number.
    """
    cleaned = (
        text.strip().replace("€", "").replace(NBSP, "").replace("\u202f", "").replace(" ", "")
    )
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise ValueError(f"« {text} » n'est pas un nombre") from None
    if not value.is_finite():
        raise ValueError(f"« {text} » n'est pas un nombre") from None
    return value


# A person's civility as stored (the commission members' and the applicants' alike):
# « Mme », « M. », or "" when not stated. Letters write it out.
CIVILITY_WORDS = {"Mme": "Madame", "M.": "Monsieur"}
_CIVILITY_SPELLINGS = {
    "mme": "Mme", "madame": "Mme", "mlle": "Mme", "mademoiselle": "Mme",  # circular of
    "m": "M.", "m.": "M.", "mr": "M.", "mr.": "M.", "monsieur": "M.",  # 21 Feb. 2012
}


def parse_civility(text: str) -> str:
    """`Madame`, `MME`, `Mlle` → `Mme`; `Monsieur`, `M`, `Mr` → `M.`; empty → not stated.

    « Mademoiselle » is read as « Madame »: the administration no longer uses it
    (circulaire du Premier ministre n° 5575/SG du 21 février 2012).

    Raises:
        ValueError: with a French message for anything else.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        return ""
    found = _CIVILITY_SPELLINGS.get(cleaned.casefold())
    if found is None:
        raise ValueError(f"civilité « {cleaned} » inconnue : Madame, Monsieur ou vide "
                         "(non précisée)")
    return found


def salutation(civility: str) -> str:
    """A letter's « Madame, » or « Monsieur, », « Madame, Monsieur, » when not stated."""
    return CIVILITY_WORDS.get(civility, "Madame, Monsieur")


def addressed(civility: str, name: str) -> str:
    """`Madame Élodie MARTIN`: the civility written out before the name, when stated."""
    word = CIVILITY_WORDS.get(civility, "")
    return f"{word} {name}".strip()


def paris_wall_time(moment: datetime | None = None) -> datetime:
    """`moment` (default: now) as a naive Paris date and time, what a séance's times
    are; an aware moment is converted, a naive one is already a Paris time."""
    if moment is None:
        return datetime.now(PARIS).replace(tzinfo=None)
    if moment.tzinfo is not None:
        return moment.astimezone(PARIS).replace(tzinfo=None)
    return moment


def paris_today() -> date:
    """Today in Paris: the day of a séance, a check or a filing is the commission's day,
    not the computer's (an office PC in France agrees; a server or CI machine on UTC is
    a day behind from 23:00 or 22:00 UTC)."""
    return datetime.now(PARIS).date()


def utc_instant(moment: datetime | None = None) -> datetime:
    """`moment` (default: now) as the aware UTC instant the database stores; a naive
    moment is a Paris time (14:30 typed or planned in Metz is 13:30 UTC in winter),
    never the computer's zone."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.astimezone(UTC)
