"""Use cases over the database: produce, sign and store a séance's minutes and the
documents derived from them; verify a PDF against the stored hashes.

A closed séance's PV is rendered from its frozen snapshot, signed for the president
and the secretary (the landlord's seal, or each one's personal certificate), then
stored byte for byte with its SHA-256 (the séance becomes "signed"). Asking again
for a signed PV returns the stored bytes unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from caleol.db.engine import session_scope
from caleol.db.models import CommissionSession, Reservataire, SignedDocument
from caleol.db.models.enums import DocumentKind, SessionStatus
from caleol.errors import CaleolError
from caleol.fr import paris_today
from caleol.rules.nur import normalize_nur
from caleol.services import anchor, sessions, signing
from caleol.services.documents import rectification_text
from caleol.services.documents.agenda import render_agenda
from caleol.services.documents.data import (
    MinutesData,
    SigningPlan,
)
from caleol.services.documents.extract import render_extract
from caleol.services.documents.letterheads import letterhead_for
from caleol.services.documents.letters import (
    Addressee,
    LetterOptions,
    candidate_letter,
    render_letter,
    render_letters,
    session_letter_set,
)
from caleol.services.documents.minutes import render_minutes
from caleol.services.documents.rectificatif import render_rectificatif
from caleol.services.documents.session_data import (
    NOT_DESIGNATED,
    correction,
    minutes_data,
    rectificatif_data,
)
from caleol.services.documents.sheets import render_candidate_sheets
from caleol.services.documents.signatories import feminine
from caleol.services.documents.signature_boxes import PRESIDENT_FIELD, SECRETARY_FIELD
from caleol.services.documents.signing_plan import plan_signatures
from caleol.services.sessions.records import SignedDocumentView
from caleol.settings import Settings

FROZEN = (SessionStatus.CLOSED.value, SessionStatus.SIGNED.value)


@dataclass(frozen=True)
class SigningKey:
    """The PKCS#12 file and its passphrase, held only for the duration of a call."""

    p12_path: Path
    passphrase: bytes = dataclasses.field(repr=False)


@dataclass(frozen=True)
class ProducedDocument:
    pdf: bytes
    sha256: str
    signed: bool
    stored: SignedDocumentView | None = None  # set when the signed file was stored
    reexported: bool = False  # the stored signed file, returned unchanged


def load_minutes_data(engine: Engine, session_id: int, settings: Settings | None = None
                      ) -> MinutesData:
    """The documents' records of a séance, read in two short transactions."""
    detail = sessions.session_detail(engine, session_id, settings)
    return minutes_data(detail, letterhead_for(engine, session_id, settings))


def _stored_pv(detail: sessions.SessionDetail) -> SignedDocumentView | None:
    pvs = [d for d in detail.documents if d.kind == DocumentKind.PV.value]
    return pvs[0] if pvs else None


@dataclass(frozen=True)
class Signing:
    """The certificates opened for one document, and what they will print."""

    plan: SigningPlan
    signatures: tuple[signing.FieldSignature, ...]
    timestamp_url: str


def open_signing(data: MinutesData, settings: Settings, key: SigningKey,
                 secretary_key: SigningKey | None = None,
                 fields: Sequence[str] = (PRESIDENT_FIELD, SECRETARY_FIELD)) -> Signing:
    """Open the certificates before anything is rendered: a wrong passphrase or a
    certificate that cannot sign these boxes stops here, with nothing written.

    Raises:
        CaleolError: unreadable certificate, wrong passphrase, or a certificate that
            would make the document say something false (`plan_signatures`).
    """
    first = signing.load_certificate(key.p12_path, key.passphrase)
    second = (signing.load_certificate(secretary_key.p12_path, secretary_key.passphrase)
              if secretary_key is not None else None)
    plan, signatures = plan_signatures(
        data.letterhead.landlord, data.president, data.secretary, first, second,
        timestamp_server=settings.timestamp_server, fields=fields)
    return Signing(plan, tuple(signatures), settings.timestamp_server)


def _sign(pdf: bytes, data: MinutesData, opened: Signing) -> bytes:
    return signing.sign_signatures(pdf, opened.signatures, location=data.letterhead.city,
                                   timestamp_url=opened.timestamp_url)


def _signers(opened: Signing) -> str:
    """Who signed, as stored with the document: the labels, one per box."""
    return " ; ".join(s.label for s in opened.signatures)


def produce_minutes(engine: Engine, session_id: int, *, settings: Settings | None = None,
                    key: SigningKey | None = None, secretary_key: SigningKey | None = None,
                    fields: Sequence[str] = (PRESIDENT_FIELD, SECRETARY_FIELD)
                    ) -> ProducedDocument:
    """The PV of a closed séance: unsigned draft, or signed and stored with its hash.

    With `key` alone (an organisation certificate), the landlord's seal fills the
    boxes of `fields`; with `secretary_key` too, `key` is the president's personal
    certificate and `secretary_key` the secretary's. For an already signed séance,
    the stored file is returned byte-identical.

    Raises:
        CaleolError: the séance is not closed, or is already signed and a new
            signature is asked (a correction goes through a rectificatif), or the
            certificates cannot be used, or the timestamp server does not answer.
    """
    settings = settings or Settings()
    detail = sessions.session_detail(engine, session_id, settings)
    stored = _stored_pv(detail)
    if detail.status == SessionStatus.SIGNED.value and stored is not None:
        if key is not None:
            raise CaleolError(
                f"Le procès-verbal de la séance n° {session_id} est déjà signé (empreinte "
                f"{stored.sha256}) : une correction passe par un rectificatif.")
        pdf = sessions.signed_minutes(engine, stored.id)
        return ProducedDocument(pdf, signing.sha256_hex(pdf), True, stored, reexported=True)
    if detail.status not in FROZEN:
        raise CaleolError(
            f"La séance n° {session_id} n'est pas close (« {detail.summary.status_label} ») : "
            "le procès-verbal se produit à partir d'une séance close, dont les données "
            "sont figées.")
    data = anchored(minutes_data(detail, letterhead_for(engine, session_id, settings)),
                    anchor.session_anchor(engine, session_id))
    if key is None:
        pdf = render_minutes(data)
        return ProducedDocument(pdf, signing.sha256_hex(pdf), False)
    opened = open_signing(data, settings, key, secretary_key, fields)
    pdf = _sign(render_minutes(data, opened.plan), data, opened)
    view = sessions.record_signed_minutes(
        engine, session_id, pdf, _signers(opened),
        filename=f"pv-seance-{session_id}-{data.session.date.isoformat()}.pdf",
    )
    return ProducedDocument(pdf, view.sha256, True, view)


def anchored(data: MinutesData, head: anchor.Anchor | None) -> MinutesData:
    """The PV states the audit chain's head at the closing, in its text (signed PV) and
    its metadata, so any copy of it can prove the log was not rewritten since."""
    if head is None:  # a séance closed before anchors were recorded
        return data
    return dataclasses.replace(data, certifications=(*data.certifications, head.sentence),
                               keywords=(*data.keywords, head.keyword))


def _require_signed_pv(engine: Engine, session_id: int, settings: Settings | None
                       ) -> tuple[sessions.SessionDetail, SignedDocumentView]:
    detail = sessions.session_detail(engine, session_id, settings)
    stored = _stored_pv(detail)
    if stored is None or detail.status != SessionStatus.SIGNED.value:
        raise CaleolError(f"Le procès-verbal de la séance n° {session_id} n'est pas encore "
                          "signé.")
    return detail, stored


def produce_extract(engine: Engine, session_id: int, nur: str, *,
                    settings: Settings | None = None, key: SigningKey | None = None,
                    secretary_key: SigningKey | None = None,
                    today: date | None = None) -> ProducedDocument:
    """Extract of the signed PV for one candidate, made `today`; signed and stored
    when `key` is given (as for the PV)."""
    settings = settings or Settings()
    nur = normalize_nur(nur)  # « 057 25 06 00005 G5701 » as typed, named compact in the file
    detail, _pv = _require_signed_pv(engine, session_id, settings)
    data = minutes_data(detail, letterhead_for(engine, session_id, settings))
    made = today or paris_today()
    theirs = {c.id for item in detail.agenda for c in item.candidacies
              if normalize_nur(c.nur) == nur}
    corrections = tuple(correction(r) for r in detail.rectifications
                        if r.candidacy_id in theirs)  # others' may name other candidates
    if key is None:
        pdf = render_extract(data, nur, made_on=made, corrections=corrections)
        return ProducedDocument(pdf, signing.sha256_hex(pdf), False)
    opened = open_signing(data, settings, key, secretary_key)
    pdf = _sign(render_extract(data, nur, opened.plan, made_on=made, corrections=corrections),
                data, opened)
    view = sessions.record_signed_minutes(
        engine, session_id, pdf, _signers(opened),
        filename=f"extrait-seance-{session_id}-{nur}.pdf", kind=DocumentKind.EXTRAIT.value)
    return ProducedDocument(pdf, view.sha256, True, view)


def record_rectification(engine: Engine, session_id: int,
                         parts: rectification_text.RectificationParts, *,
                         author: str = "", candidacy_id: int | None = None) -> int:
    """A rectification of the séance's signed PV, from its parts (all required), of
    the candidacy it corrects if any.

    Raises:
        ValidationError: a part is missing, the séance is not closed, the candidacy
            is not one of the séance.
    """
    return sessions.add_rectification(engine, session_id, rectification_text.compose(parts),
                                      author=author, candidacy_id=candidacy_id)


def produce_rectificatif(engine: Engine, session_id: int, *,
                         settings: Settings | None = None, key: SigningKey | None = None,
                         secretary_key: SigningKey | None = None,
                         today: date | None = None) -> ProducedDocument:
    """The rectificatif of a signed PV from its recorded rectifications."""
    settings = settings or Settings()
    detail, pv = _require_signed_pv(engine, session_id, settings)
    letterhead = letterhead_for(engine, session_id, settings)
    data = rectificatif_data(detail, pv, letterhead, today or paris_today())
    if key is None:
        pdf = render_rectificatif(data)
        return ProducedDocument(pdf, signing.sha256_hex(pdf), False)
    minutes = minutes_data(detail, letterhead)
    opened = open_signing(minutes, settings, key, secretary_key)
    pdf = _sign(render_rectificatif(data, opened.plan), minutes, opened)
    view = sessions.record_signed_minutes(
        engine, session_id, pdf, _signers(opened),
        filename=f"rectificatif-seance-{session_id}.pdf",
        kind=DocumentKind.RECTIFICATIF.value)
    return ProducedDocument(pdf, view.sha256, True, view)


def produce_agenda(engine: Engine, session_id: int, *, settings: Settings | None = None,
                   convened_on: date | None = None) -> bytes:
    """Ordre du jour / convocation of a séance at any stage."""
    return render_agenda(load_minutes_data(engine, session_id, settings),
                         convened_on=convened_on)


def produce_candidate_sheets(engine: Engine, session_id: int, *,
                             settings: Settings | None = None,
                             nurs: Sequence[str] | None = None) -> bytes:
    """Fiches candidats of a séance (all candidates, or those of `nurs`)."""
    return render_candidate_sheets(load_minutes_data(engine, session_id, settings), nurs)


@dataclass(frozen=True)
class ProducedLetters:
    pdf: bytes
    withheld: tuple[str, ...]  # candidates who get no letter today, with why (French)


def produce_letter_set(engine: Engine, session_id: int, *, settings: Settings | None = None,
                       today: date | None = None, signatory: str = "") -> ProducedLetters:
    """Every letter a closed séance calls for today, from each candidacy's state after
    the séance's events (candidates, then réservataires), and who gets none and why.

    Raises:
        CaleolError: the séance is not closed, or no letter is due.
    """
    settings = settings or Settings()
    detail = sessions.session_detail(engine, session_id, settings)
    if detail.status not in FROZEN:
        raise CaleolError(f"La séance n° {session_id} n'est pas close : les courriers "
                          "partent une fois les décisions figées.")
    data = minutes_data(detail, letterhead_for(engine, session_id, settings))
    found = session_letter_set(data, _letter_options(data, settings, today, signatory),
                               reservataire_addressees(engine))
    if not found.letters:
        raise CaleolError("Aucun courrier à produire : " + " ".join(found.withheld)
                          if found.withheld else "Aucun courrier à produire.")
    return ProducedLetters(render_letters(found.letters), found.withheld)


def produce_letters(engine: Engine, session_id: int, *, settings: Settings | None = None,
                    today: date | None = None, signatory: str = "") -> bytes:
    """The PDF of `produce_letter_set`."""
    return produce_letter_set(engine, session_id, settings=settings, today=today,
                              signatory=signatory).pdf


def reservataire_addressees(engine: Engine) -> dict[str, Addressee]:
    """Each réservataire's postal address and contact, by name (as candidacies name it)."""
    with session_scope(engine) as db:
        return {r.name: Addressee(r.address, r.contact_name)
                for r in db.exec(select(Reservataire)).all()}


def produce_offer_after_refusal(engine: Engine, session_id: int, nur: str, *,
                                settings: Settings | None = None,
                                today: date | None = None) -> bytes:
    """The offer to the candidate `nur`, who holds the dwelling since the one ranked
    before refused it (or let the condition lapse).

    Raises:
        CaleolError: the dwelling is not theirs after a refusal (their own lease, a
            refusal or a lapse; another candidate's lease or offer), in French.
    """
    settings = settings or Settings()
    data = load_minutes_data(engine, session_id, settings)
    return render_letter(candidate_letter(data, nur, _letter_options(data, settings, today),
                                          after_refusal=True))


def _letter_options(data: MinutesData, settings: Settings, today: date | None,
                    signatory: str = "") -> LetterOptions:
    """The secretary signs; with no secretary recorded, the agency does (never a name
    such as « non désigné »)."""
    options = LetterOptions(issued_on=today or paris_today(), signatory="",
                            answer_days=settings.offer_answer_days)
    name = signatory or (data.secretary if data.secretary != NOT_DESIGNATED else "")
    if name:
        title = ("La secrétaire de la commission d'attribution" if feminine(name)
                 else options.signatory_title)
        return dataclasses.replace(options, signatory=name, signatory_title=title)
    return dataclasses.replace(options, signatory_title="Pour la commission d'attribution",
                               signatory=data.letterhead.agency)


@dataclass(frozen=True)
class StoredDocument:
    id: int
    session_id: int
    kind: str
    sha256: str
    session_date: date


def find_signed_document(engine: Engine, sha256: str) -> StoredDocument | None:
    """The stored signed document with this SHA-256, if any."""
    with session_scope(engine) as db:
        row = db.exec(select(SignedDocument).where(
            SignedDocument.sha256 == sha256.strip().lower())).first()
        if row is None:
            return None
        session = db.get(CommissionSession, row.session_id)
        return StoredDocument(row.id or 0, row.session_id, row.kind, row.sha256,
                              session.date if session else date.min)


def verify_with_database(engine: Engine, pdf_bytes: bytes, trusted_certs: Sequence[Path]
                         ) -> signing.VerificationReport:
    """`verify_pdf`, plus: the file must be byte-identical to a stored signed document."""
    digest = signing.sha256_hex(pdf_bytes)
    found = find_signed_document(engine, digest)
    report = signing.verify_pdf(pdf_bytes, trusted_certs,
                                expected_sha256=found.sha256 if found else None)
    if found is None:
        return dataclasses.replace(report, problems=(
            *report.problems,
            "Aucun document signé enregistré dans la base n'a cette empreinte : ce fichier "
            "n'est pas celui qui a été signé et conservé."))
    label = DocumentKind(found.kind).label
    return dataclasses.replace(report, notes=(
        f"Document enregistré : {label} de la séance n° {found.session_id} du "
        f"{found.session_date:%d/%m/%Y} (document n° {found.id}).",))
