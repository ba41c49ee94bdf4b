"""The audit chain's head, written outside the database: in each séance's signed PV.

The hash chain proves that no entry was changed, inserted or removed, but anyone with
write access to the file and caleol's source can rebuild a whole valid chain. So at
each closing the chain's head (the hash of its last entry and the number of entries)
is recorded (`ChainAnchor`), and the séance's procès-verbal prints it (« Empreinte du
journal d'audit… ») and carries it in its metadata (`/Keywords`: `caleol-journal:N:H`).
A copy of the signed PV kept anywhere (the prefecture, the landlord's archive) then
proves the log was not rewritten before that point: the entry n° N (its id: entries are
numbered 1, 2, 3… without gap) must still have the hash H, and the chain up to it must
still verify. An entry's hash covers its
predecessor's, so nobody can produce H again without the very same history.

`caleol verify-db --anchor PV.pdf` checks a given PV; `verify-db` checks every stored
one; `latest_anchor_problem` is the cheap check made when the window opens a
database (one indexed lookup against the latest signed PV stored in it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlmodel import Session, col

from caleol.db.audit import read_head
from caleol.db.models import AuditEntry, ChainAnchor, CommissionSession, SignedDocument
from caleol.db.models.enums import DocumentKind
from caleol.db.typed import table_of
from caleol.errors import CaleolError, os_error_reason
from caleol.fr import counted, format_date

CLOSING = "cloture"
KEYWORD_PREFIX = "caleol-journal"
_KEYWORD = re.compile(rb"caleol-journal:(\d+):([0-9a-f]{64})")


@dataclass(frozen=True)
class Anchor:
    """The head of the chain: `entry_count` entries, the last one's `head_hash`."""

    entry_count: int
    head_hash: str

    @property
    def keyword(self) -> str:
        """What the PDF's metadata carry (`/Keywords`, and its XMP twin)."""
        return f"{KEYWORD_PREFIX}:{self.entry_count}:{self.head_hash}"

    @property
    def sentence(self) -> str:
        """The line the signed PV prints."""
        return (f"Empreinte du journal d'audit à la clôture de la séance : {self.head_hash} "
                f"({counted(self.entry_count, 'entrée')}).")


def chain_head(connection: Connection) -> Anchor | None:
    """The head of the chain now (None: the log is empty). Entries are numbered 1, 2, 3…
    without gap (revision 0012, checked by verify-db): the last one's id is their count."""
    head = read_head(connection)
    return None if head.id == 0 else Anchor(head.id, head.hash)


def record_closing_anchor(db: Session, session_id: int) -> Anchor | None:
    """Record the head of the chain as the closing of `session_id` left it.

    Call it in the closing's transaction, after the séance's change: the head then
    covers the closing itself (this record's own entry comes after it).
    """
    db.flush()
    head = chain_head(db.connection())
    if head is not None:
        db.add(ChainAnchor(session_id=session_id, kind=CLOSING,
                           entry_count=head.entry_count, head_hash=head.head_hash))
        db.flush()
    return head


def closing_anchor(db: Session, session_id: int) -> Anchor | None:
    """The head recorded at the closing of the séance (None: closed before issue 16)."""
    row = db.scalars(select(ChainAnchor).where(
        col(ChainAnchor.session_id) == session_id, col(ChainAnchor.kind) == CLOSING)
        .order_by(col(ChainAnchor.id))).first()
    return None if row is None else Anchor(row.entry_count, row.head_hash)


def anchor_in_pdf(pdf: bytes) -> Anchor | None:
    """The anchor a caleol PV carries in its metadata (None: none in this PDF).

    Read from the bytes: the information dictionary and its XMP twin hold it as plain
    ASCII, and an incremental update (a signature) keeps them; no PDF library needed.
    """
    found = _KEYWORD.search(pdf)
    if found is None:
        return None
    return Anchor(int(found[1]), found[2].decode("ascii"))


def anchor_of_file(path: Path) -> Anchor:
    """The anchor of the PV at `path`; a French error when there is none to read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaleolError(f"Impossible de lire « {path} » : {os_error_reason(exc)}.") from exc
    if not data.startswith(b"%PDF-"):
        raise CaleolError(f"« {path.name} » n'est pas un fichier PDF.")
    anchor = anchor_in_pdf(data)
    if anchor is None:
        raise CaleolError(
            f"« {path.name} » ne porte pas d'empreinte du journal d'audit : ce n'est pas un "
            "procès-verbal produit par caleol depuis cette vérification (ou il a été "
            "réenregistré par un autre logiciel)."
        )
    return anchor


def anchor_problems(connection: Connection, anchor: Anchor) -> list[str]:
    """What says the log was rewritten before `anchor` (empty: it was not). The chain's
    own links and hashes are checked by `caleol.services.audit.verify_chain`."""
    found = _anchored_hash(connection, anchor)
    if found is None:
        return [f"le journal n'a plus d'entrée n° {anchor.entry_count}, qui portait "
                f"l'empreinte {anchor.head_hash} inscrite au procès-verbal : le journal a "
                "été réécrit avant ce point"]
    if found != anchor.head_hash:
        return [f"l'entrée n° {anchor.entry_count} du journal n'a plus l'empreinte "
                f"{anchor.head_hash} inscrite au procès-verbal : le journal a été réécrit "
                "avant ce point"]
    return []


def _anchored_hash(connection: Connection, anchor: Anchor) -> str | None:
    """The hash of the entry n° `anchor.entry_count` now (None: no such entry). Entries
    are numbered 1, 2, 3… (verify-db checks it): one lookup by primary key, where the
    hash has no index (revision 0012)."""
    table = table_of(AuditEntry)
    return connection.execute(
        select(table.c.hash).where(table.c.id == anchor.entry_count)).scalar_one_or_none()


def verify_anchor(engine: Engine, anchor: Anchor) -> list[str]:
    with engine.connect() as connection:
        return anchor_problems(connection, anchor)


def stored_anchor_problems(engine: Engine) -> tuple[int, list[str]]:
    """Every signed PV stored in the database, and every recorded closing head, checked
    against the chain: (how many PVs carried an anchor, the problems found)."""
    documents = table_of(SignedDocument)
    anchors = table_of(ChainAnchor)
    checked = 0
    problems: list[str] = []
    with engine.connect() as connection:
        for session_id, count, head in connection.execute(
            select(anchors.c.session_id, anchors.c.entry_count, anchors.c.head_hash)
            .order_by(anchors.c.id)
        ).all():
            problems += [f"empreinte enregistrée à la clôture de la séance n° {session_id} : "
                         f"{p}" for p in anchor_problems(connection, Anchor(count, head))]
        result = connection.execution_options(yield_per=20).execute(
            select(documents.c.id, documents.c.session_id, documents.c.content)
            .where(documents.c.kind == DocumentKind.PV.value).order_by(documents.c.id))
        found = [(row[0], row[1], anchor_in_pdf(bytes(row[2]))) for row in result]
        for document_id, session_id, anchor in found:
            if anchor is None:
                continue
            checked += 1
            problems += [f"procès-verbal signé n° {document_id} (séance n° {session_id}) : {p}"
                         for p in anchor_problems(connection, anchor)]
    return checked, problems


def latest_anchor_problem(engine: Engine) -> str | None:
    """The cheap check when a database is opened: the latest signed PV stored in it must
    still find its anchor in the chain (one indexed lookup). None: nothing wrong."""
    documents = table_of(SignedDocument)
    sessions = table_of(CommissionSession)
    with engine.connect() as connection:
        latest = connection.execute(
            select(documents.c.content, sessions.c.date)
            .join(sessions, sessions.c.id == documents.c.session_id)
            .where(documents.c.kind == DocumentKind.PV.value)
            .order_by(documents.c.id.desc()).limit(1)).first()
        if latest is None:
            return None
        anchor = anchor_in_pdf(bytes(latest[0]))
        if anchor is None:
            return None
        if _anchored_hash(connection, anchor) == anchor.head_hash:
            return None
    return (f"Le journal d'audit de cette base ne contient plus l'empreinte inscrite au "
            f"procès-verbal signé de la séance du {format_date(latest[1])} "
            f"({counted(anchor.entry_count, 'entrée')}) : la base a été réécrite en dehors "
            "de caleol. Ne la modifiez pas, lancez « caleol verify-db » et prévenez le "
            "responsable des données.")


def session_anchor(engine: Engine, session_id: int) -> Anchor | None:
    """`closing_anchor` in its own short transaction (the documents' entry point)."""
    from caleol.db.engine import session_scope

    with session_scope(engine) as db:
        return closing_anchor(db, session_id)
