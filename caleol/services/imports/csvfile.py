"""Reading a CSV file as Excel France writes it, streaming, with French errors.

* UTF-8 with or without BOM; anything else (ANSI/Windows-1252, UTF-16) is refused
  with the way to fix it, never guessed (a wrong guess silently corrupts accents);
* `;` or `,` separator, taken from the header line (the one with more of them);
* header names compared without case, accents, spaces or hyphens, so « Date de dépôt »,
  `date_depot` and `DATE-DEPOT` are the same column;
* a column that looks like a social-security number (NIR) by its name refuses the
  whole file, a value holding one (`caleol.rules.nir`) refuses its row: caleol never
  stores a NIR;
* a file over `MAX_FILE_BYTES` (100 Mo, what docs/securite.md promises) is refused
  before a byte of it is read, and a NUL byte anywhere refuses the file (it is not
  text: the csv module would store it in a name).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from caleol.errors import CaleolError, os_error_reason
from caleol.services.excel_csv import restore

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

SAMPLE = 64 * 1024
FIELD_LIMIT = 64 * 1024  # one cell; an Excel cell holds at most 32 767 characters
NOT_UTF8 = (
    "le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 (délimité par des "
    "points-virgules) » depuis Excel, ou en UTF-8 depuis LibreOffice)"
)
NIR_HEADER = re.compile(
    r"(^|_)(nir|secu|securite_sociale|numero_de_securite_sociale|num_ss|no_ss|n_ss|"
    r"numero_ss|immatriculation|insee_personne|numero_insee)(_|$)"
)
MAX_FILE_BYTES = 100 * 1024 * 1024  # « 100 Mo »
NUL_MESSAGE = (
    "le fichier contient des caractères nuls : ce n'est pas un fichier CSV texte "
    "(enregistrez-le en « CSV UTF-8 (délimité par des points-virgules) » depuis Excel, ou "
    "en UTF-8 depuis LibreOffice)"
)
NIR_MESSAGE = (  # a whole cell or inside a sentence: the number goes, not the column
    "cette cellule contient ce qui ressemble à un numéro de sécurité sociale (NIR) : "
    "caleol ne conserve jamais le NIR, retirez-le du fichier"
)


class UnreadableFileError(CaleolError):
    """The file cannot be read at all (encoding, separator, header)."""


@lru_cache(maxsize=4096)
def normalize_header(name: str) -> str:
    """« Date de dépôt » → `date_de_depot`; `Loyer (€)` → `loyer`."""
    text = unicodedata.normalize("NFKD", name.strip().lstrip("\ufeff").casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\(.*?\)", "", text)
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text


@dataclass
class CsvRow:
    line: int
    cells: dict[str, str]  # canonical column -> raw text (stripped)
    extra: int  # cells beyond the header (a malformed row)
    missing: int  # header columns absent from the row (a truncated row)


def _megabytes(size: int) -> str:
    text = f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} Mo"


def too_large(name: str, size: int | None = None) -> UnreadableFileError:
    shown = _megabytes(size) if size is not None else None
    # « (100 Mo) dépasse … 100 Mo » for a file a few bytes over would read as absurd
    weight = f" ({shown})" if shown not in (None, _megabytes(MAX_FILE_BYTES)) else ""
    return UnreadableFileError(
        f"Le fichier {name}{weight} dépasse la taille maximale de "
        f"{_megabytes(MAX_FILE_BYTES)} : caleol ne l'a pas lu. Découpez-le en plusieurs "
        "fichiers."
    )


def _open_binary(source: Path | BinaryIO) -> tuple[BinaryIO, str]:
    if isinstance(source, Path | str):
        path = Path(source)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise UnreadableFileError(f"Fichier introuvable : {path}") from None
        except OSError as exc:
            raise UnreadableFileError(
                f"Impossible de lire le fichier {path} : {os_error_reason(exc)}"
            ) from None
        if size > MAX_FILE_BYTES:
            raise too_large(path.name, size)  # refused before a byte is read
        try:
            return path.open("rb"), path.name
        except FileNotFoundError:
            raise UnreadableFileError(f"Fichier introuvable : {path}") from None
        except OSError as exc:
            raise UnreadableFileError(
                f"Impossible de lire le fichier {path} : {os_error_reason(exc)}"
            ) from None
    return source, getattr(source, "name", "fichier")


def _size_of(binary: BinaryIO) -> int:
    """The bytes left to read in `binary`, 0 when it cannot tell (a pipe)."""
    try:
        return max(0, os.fstat(binary.fileno()).st_size - binary.tell())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        try:
            here = binary.tell()
            end = binary.seek(0, io.SEEK_END)
            binary.seek(here)
            return max(0, end - here)
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            return 0


def _check_sample(sample: bytes) -> None:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError(f"Le fichier est en UTF-16 : {NOT_UTF8}.")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        raise UnreadableFileError(f"Le fichier n'est pas lisible : {NOT_UTF8}.") from None
    if b"\x00" in sample:
        raise UnreadableFileError(f"{NUL_MESSAGE[:1].upper()}{NUL_MESSAGE[1:]}.")


def _delimiter(header_line: str) -> str:
    semicolons, commas = header_line.count(";"), header_line.count(",")
    if semicolons == 0 and commas == 0:
        raise UnreadableFileError(
            "Séparateur introuvable dans la ligne d'en-tête : les colonnes doivent être "
            "séparées par des points-virgules (;) ou des virgules (,)."
        )
    return ";" if semicolons >= commas else ","


class CsvReader:
    """Iterate the data rows of a CSV file once, as `CsvRow`s.

    Args:
        aliases: header (normalised) → canonical column name.
        required: canonical columns that must be in the header.
    """

    def __init__(self, source: Path | BinaryIO, aliases: dict[str, str],
                 required: tuple[str, ...]) -> None:
        self.binary, self.filename = _open_binary(source)
        self.aliases = aliases
        self.required = required
        self.columns: list[str | None] = []
        self.header_names: list[str] = []
        self._size = _size_of(self.binary)
        self._chain: _Chain | None = None

    @property
    def size(self) -> int:
        """The bytes to read (0 for a stream of unknown size)."""
        return self._size

    def share_read(self) -> float:
        """How much of the file has been read, 0 to 1 (0 for a stream of unknown size)."""
        if self._chain is None or not self._size:
            return 0.0
        return min(1.0, self._chain.count / self._size)

    def close(self) -> None:
        self.binary.close()

    def _text(self) -> io.TextIOWrapper:
        peek = self.binary.read(SAMPLE)
        _check_sample(peek)
        self._chain = _Chain(peek, self.binary, self.filename)
        stream = io.BufferedReader(self._chain)
        return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")

    def rows(self) -> Iterator[CsvRow]:
        """Data rows; raises `UnreadableFileError` for problems that make the file unreadable."""
        text = self._text()
        csv.field_size_limit(FIELD_LIMIT)
        try:
            first = text.readline()
        except UnicodeDecodeError:
            raise UnreadableFileError(f"Ligne 1 illisible : {NOT_UTF8}.") from None
        if not first.strip():
            raise UnreadableFileError(
                "Le fichier est vide : la première ligne doit nommer les colonnes."
            )
        delimiter = _delimiter(first)
        header = next(csv.reader([first], delimiter=delimiter))
        self._read_header(header)
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        width = len(header)
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise UnreadableFileError(
                    f"Après la ligne {line} le fichier n'est plus lisible : {NOT_UTF8}."
                ) from None
            except _NulByteError:
                raise UnreadableFileError(f"Après la ligne {line}, {NUL_MESSAGE}.") from None
            except csv.Error as exc:
                raise UnreadableFileError(_csv_error(line + 1, exc)) from None
            line = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank line (Excel often leaves some at the end)
            row: dict[str, str] = {}
            for column, value in zip(self.columns, cells, strict=False):
                if column is not None:
                    value = value.strip()
                    # the export's apostrophe (a cell starting with one is rare: tested first)
                    row[column] = restore(value) if value[:1] == "'" else value
            yield CsvRow(line=line, cells=row, extra=max(0, len(cells) - width),
                         missing=max(0, width - len(cells)))

    def _read_header(self, header: list[str]) -> None:
        problems: list[str] = []
        seen: dict[str, str] = {}
        self.header_names = [h.strip().lstrip("\ufeff") for h in header]
        for name in self.header_names:
            key = normalize_header(name)
            if NIR_HEADER.search(key):
                raise UnreadableFileError(
                    f"La colonne « {name} » semble contenir un numéro de sécurité sociale "
                    "(NIR) : caleol ne conserve jamais le NIR. Retirez cette colonne du "
                    "fichier et recommencez."
                )
            canonical = self.aliases.get(key)
            if canonical is None:
                if key:
                    problems.append(f"colonne inconnue « {name} »")
                self.columns.append(None)
                continue
            if canonical in seen:
                problems.append(f"colonnes « {seen[canonical]} » et « {name} » en double")
            seen[canonical] = name
            self.columns.append(canonical)
        missing = [c for c in self.required if c not in seen]
        if missing:
            problems.append("colonnes obligatoires absentes : " + ", ".join(missing))
        if problems:
            raise UnreadableFileError(
                "En-tête du fichier incorrect : " + " ; ".join(problems)
                + ". Voir la liste des colonnes dans docs/csv-columns.md."
            )


def _csv_error(line: int, exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (f"Ligne {line} : une cellule dépasse {FIELD_LIMIT // 1024} Ko ; le fichier "
                "est probablement mal formé (guillemet non fermé ?).")
    if "unexpected end of data" in text or "EOF" in text:
        return (f"Fin de fichier inattendue après la ligne {line - 1} : un guillemet n'est "
                "pas fermé ou le fichier est tronqué.")
    if "NUL" in text or "null" in text.lower():
        return f"Ligne {line} : caractère nul dans le fichier, ce n'est pas un CSV texte."
    return f"Ligne {line} : ligne CSV mal formée (guillemets ?)."


class _NulByteError(Exception):
    """A NUL byte past the sample (the reader adds the line it had reached)."""


class _Chain(io.RawIOBase):
    """A raw stream that first returns `head`, then the rest of `tail`, checking what
    the sample did not see: no NUL byte, no more than `MAX_FILE_BYTES` in all (a
    stream has no size to ask beforehand)."""

    def __init__(self, head: bytes, tail: BinaryIO, name: str) -> None:
        self.head = head
        self.tail = tail
        self.name = name
        self.count = len(head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        out = memoryview(buffer).cast("B")
        if self.head:
            size = min(len(out), len(self.head))
            out[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.tail.read(len(out))
        self.count += len(data)
        if self.count > MAX_FILE_BYTES:
            raise too_large(self.name)
        if b"\x00" in data:
            raise _NulByteError
        out[: len(data)] = data
        return len(data)
