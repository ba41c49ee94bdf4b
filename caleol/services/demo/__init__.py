"""A realistic, deterministic demonstration database in the Vivest territory.

`create_demo_database` is the one entry point (`caleol demo`, `caleol --demo`). The
same seed and reference day give the same data. Everything is fictitious except the
places (real communes, EPCI and département codes of Moselle and Meurthe-et-Moselle).

Two phases:
1. reference data, dwellings, demandes and commissions go in with audited bulk
   inserts (`caleol.services.bulk`), one transaction (per chunk for `large`);
2. séances are made through `caleol.services.sessions`, step by step as a secretary
   would, so their rows, snapshots and events are exactly what the workflow writes.

Demo data never goes into a database that already holds data: the target must be
new or empty, or `replace=True` for the demo file itself.
"""

from __future__ import annotations

import logging
import random
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from caleol import paths
from caleol.db.engine import database_url, open_database, sqlite_path
from caleol.db.models import Commission, Demande, Dwelling
from caleol.db.typed import table_of
from caleol.errors import CaleolError
from caleol.fr import paris_today
from caleol.services.bulk import AuditedInserter
from caleol.services.demo.commissions import create_commissions
from caleol.services.demo.households import DemandeDraft, HouseholdFactory, insert_drafts
from caleol.services.demo.pool import DwellingDraft, Pool, tax_notice_writer
from caleol.services.demo.reference import References, create_references
from caleol.services.demo.seances import DemoSessions, build_history
from caleol.services.demo.seances import build_showcase as _build_showcase
from caleol.services.demo.stock import dwelling_rows
from caleol.services.demo.territory import Territory, create_territory
from caleol.services.documents.session_minutes import SigningKey, produce_minutes
from caleol.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_SEED = 57054
HISTORY_MONTHS = 12
CHUNK = 10_000
BULK_CACHE_KIB = 128 * 1024
CERTIFICATE_NAME = "vivest-demo.p12"


@dataclass(frozen=True)
class DemoSize:
    dwellings: int
    demandes: int


SIZES = {
    "small": DemoSize(dwellings=450, demandes=3000),
    "large": DemoSize(dwellings=20_000, demandes=100_000),
}
POOL = SIZES["small"]  # the part of any demo the séances draw from


@dataclass(frozen=True)
class DemoSummary:
    url: str
    seed: int
    size: str
    today: date
    dwellings: int
    demandes: int
    signed_session_id: int | None
    ready_session_id: int | None
    preparing_session_id: int | None
    blocked_dwelling: str
    history_sessions: int
    leases: int
    certificate: Path | None
    seconds: float
    notes: tuple[str, ...] = field(default=())


def _prepare_target(target: str | Path | None, replace: bool) -> str:
    if target is None:
        target = paths.demo_database_path()
        replace = True
    url = database_url(target)
    path = sqlite_path(url)
    if path is not None and path.exists() and replace:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return url


def _refuse_if_not_empty(engine: Engine) -> None:
    with engine.connect() as connection:
        rows = sum(
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (table_of(Demande), table_of(Dwelling), table_of(Commission))
        )
    if rows:
        raise CaleolError(
            "Cette base contient déjà des données : les données de démonstration ne "
            "s'ajoutent jamais à une base existante. Choisissez un fichier neuf."
        )


def create_demo_database(
    target: str | Path | None = None,
    *,
    seed: int = DEFAULT_SEED,
    size: str = "small",
    today: date | None = None,
    replace: bool = False,
    certificate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Create the demo database at `target` (a path or URL; None = the demo file).

    Args:
        seed: same seed (and `today`) → same data.
        size: `small` (a few hundred dwellings, a few thousand demandes) or `large`
            (20 000 dwellings, 100 000 demandes, for benchmarks).
        today: the reference day of the demo (default: today); séances are dated
            around it.
        replace: delete an existing SQLite file at `target` first (always done for
            the default demo file).
        certificate: also create (once) the demo organisation certificate (the
            application uses it with the demo database only: `demo_settings`).
        progress: called with a French line at each step.

    Raises:
        CaleolError: unknown size, a target that already holds data.
    """
    if size not in SIZES:
        raise CaleolError(f"Taille inconnue « {size} » : small ou large.")
    started = time.perf_counter()
    say = progress or (lambda _line: None)
    today = today or paris_today()
    rng = random.Random(seed)
    url = _prepare_target(target, replace)
    engine = open_database(url, create=True)
    try:
        _refuse_if_not_empty(engine)
        spec = SIZES[size]
        say("Territoire, tables de référence, logements et demandes…")
        with engine.begin() as connection:
            writer = AuditedInserter(connection)
            territory = create_territory(writer)
            refs = create_references(writer, territory)
            factory = HouseholdFactory(rng, territory, today)
            rows = list(dwelling_rows(rng, territory, POOL.dwellings, today, 0.4,
                                      refs.reservataire_ids))
            dwelling_ids = writer.insert(table_of(Dwelling), rows)
            drafts = [factory.draft() for _ in range(POOL.demandes - 12)]
            drafts += [factory.draft("METZ", kind="family", force_dalo=True) for _ in range(6)]
            drafts += [factory.draft("METZ", kind="single", force_dalo=True) for _ in range(6)]
            insert_drafts(writer, drafts, refs.criterion_ids)
            infos = create_commissions(writer, rng, territory, refs.reservataire_ids)
        pool = _pool(rng, territory.agency_ids, rows, dwelling_ids, drafts, refs.reason_ids)
        pool.on_pick = tax_notice_writer(engine)
        say("Séances : un an d'attributions, séance signée, prête et en préparation…")
        out = DemoSessions()
        # Closing a séance backs the SQLite file up: into a throw-away folder here, so
        # building a demo never fills the user's backup folder.
        with tempfile.TemporaryDirectory(prefix="caleol-demo-") as scratch:
            closing = Settings(backup_folder=scratch, backups_kept=1)
            build_history(engine, pool, infos, today, HISTORY_MONTHS, out, closing)
            _build_showcase(engine, pool, infos, today, out, closing)
        notes: list[str] = []
        cert_path = _demo_certificate(say) if certificate else None
        if out.signed is not None and cert_path is not None:
            say("Procès-verbal de la séance passée, signé avec le certificat de démonstration…")
            produce_minutes(engine, out.signed,
                            key=SigningKey(cert_path, demo_passphrase(cert_path)))
        elif out.signed is not None:
            notes.append("Séance passée close, procès-verbal non signé (pas de certificat).")
        if size == "large":  # after the séances: their backups copy a small file
            _add_bulk(engine, factory, rng, territory, refs, spec, today, say)
    finally:
        engine.dispose()
    return DemoSummary(
        url=url, seed=seed, size=size, today=today, dwellings=spec.dwellings,
        demandes=spec.demandes, signed_session_id=out.signed, ready_session_id=out.ready,
        preparing_session_id=out.preparing, blocked_dwelling=out.blocked_dwelling,
        history_sessions=len(out.history), leases=out.leases, certificate=cert_path,
        seconds=time.perf_counter() - started, notes=tuple(notes),
    )


def _pool(
    rng: random.Random, agency_ids: dict[str, int], rows: list[dict[str, Any]],
    dwelling_ids: list[int], drafts: list[DemandeDraft], reason_ids: dict[str, int],
) -> Pool:
    agency_of = {agency_id: code for code, agency_id in agency_ids.items()}
    pool = Pool(rng=rng, reasons=reason_ids)
    for row, dwelling_id in zip(rows, dwelling_ids, strict=True):
        if row["status"] == "vacant":
            agency = agency_of[row["agency_id"]]
            pool.dwellings.setdefault(agency, []).append(DwellingDraft(dwelling_id, row, agency))
    for draft in drafts:
        pool.drafts.setdefault(draft.agency, []).append(draft)
    return pool


def _add_bulk(engine: Engine, factory: HouseholdFactory, rng: random.Random,
              territory: Territory, refs: References, spec: DemoSize, today: date,
              say: Callable[[str], None]) -> None:
    """The rest of a large demo, in chunks of `CHUNK` rows per transaction.

    SQLite gets a larger page cache for this connection-heavy build: the audit log's
    hash indexes take random inserts, which thrash the default 2 MB cache.
    """
    remaining = spec.dwellings - POOL.dwellings
    while remaining > 0:
        count = min(CHUNK, remaining)
        with engine.begin() as connection:
            _big_cache(connection)
            AuditedInserter(connection).insert(
                table_of(Dwelling),
                _renumbered(dwelling_rows(rng, territory, count, today, 0.05,
                                          refs.reservataire_ids),
                            spec.dwellings - remaining),
            )
        remaining -= count
        say(f"Logements : {spec.dwellings - remaining} / {spec.dwellings}")
    remaining = spec.demandes - POOL.demandes
    while remaining > 0:
        count = min(CHUNK, remaining)
        drafts = [factory.draft() for _ in range(count)]
        for draft in drafts:
            roll = rng.random()
            if roll < 0.06:
                draft.row["status"] = "radiated"
                draft.row["status_date"] = today
            elif roll < 0.09:
                draft.row["status"] = "closed"
                draft.row["status_date"] = today
        with engine.begin() as connection:
            _big_cache(connection)
            insert_drafts(AuditedInserter(connection), drafts, refs.criterion_ids)
        remaining -= count
        say(f"Demandes : {spec.demandes - remaining} / {spec.demandes}")


def _big_cache(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


def _renumbered(rows: Iterable[dict[str, Any]], offset: int) -> Iterator[dict[str, Any]]:
    """Dwelling references and RPLS ids continue after the first `offset` dwellings."""
    for index, row in enumerate(rows):
        prefix = row["reference"].split("-")[0]
        row["reference"] = f"{prefix}-{offset + index + 1:06d}"
        row["rpls_id"] = f"{row['rpls_id'][:5]}{offset + index + 1:07d}"
        yield row


def demo_certificate_path() -> Path:
    """Where the demo organisation certificate (PKCS#12) is kept, its PEM beside it."""
    return paths.data_dir() / "certificats" / CERTIFICATE_NAME


def _demo_certificate(say: Callable[[str], None]) -> Path | None:
    """The demo organisation certificate, created once.

    It is never written into the user's settings: a real installation that once ran
    the demo must not sign its minutes with it, nor trust documents signed with it
    (its passphrase lies next to it). `demo_settings` lends it to the demo session.
    """
    try:
        from caleol.services.signing import create_demo_certificate
    except ImportError:  # pragma: no cover - signing is an install extra
        return None
    p12 = demo_certificate_path()
    folder = p12.parent
    pem = p12.with_suffix(".pem")
    secret = folder / "vivest-demo.phrase-secrete.txt"
    if not (p12.exists() and pem.exists() and secret.exists()):
        say("Certificat de démonstration de l'organisme…")
        folder.mkdir(parents=True, exist_ok=True)
        passphrase = secrets.token_urlsafe(18)
        secret.write_text(passphrase + "\n", encoding="utf-8")
        secret.chmod(0o600)
        create_demo_certificate(p12, passphrase.encode("utf-8"))
    return p12


def demo_settings(settings: Settings) -> Settings:
    """The settings of a demo session: the demo certificate signs and is trusted.

    In memory only, for as long as the demo database is open; the user's settings
    file is left as it was.
    """
    p12 = demo_certificate_path()
    pem = p12.with_suffix(".pem")
    if not (p12.exists() and pem.exists()):
        return settings
    trusted = settings.trusted_certificates
    if str(pem) not in trusted:
        trusted = (*trusted, str(pem))
    return settings.replace(trusted_certificates=trusted, signing_certificate=str(p12))


def demo_passphrase(p12: Path) -> bytes:
    """The passphrase written next to the demo certificate."""
    secret = p12.parent / "vivest-demo.phrase-secrete.txt"
    return secret.read_text(encoding="utf-8").strip().encode("utf-8")


__all__ = ["DEFAULT_SEED", "SIZES", "DemoSummary", "create_demo_database", "demo_passphrase"]
