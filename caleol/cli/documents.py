"""Document sub-commands: `minutes`, `extract`, `rectificatif`, `verify`, plus the
developer helpers `sample-minutes` and `demo-certificate`.

Thin: rendering lives in `caleol.services.documents`, signatures in
`caleol.services.signing`, storage of signed files in `caleol.services.sessions`.
A passphrase is read from a file (never from the command line, where other users
could see it) and is never written anywhere. The handlers import the services
(reportlab, pyHanko, SQLAlchemy): building the parser must stay cheap.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caleol import settings as settings_module
from caleol.cli.dbtools import add_db_argument, database_from_args
from caleol.errors import CaleolError, os_error_reason

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from caleol.services.documents import session_minutes

EXIT_OK = 0
EXIT_FAILURE = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    minutes = subparsers.add_parser(
        "minutes",
        help="produire (et signer) le procès-verbal d'une séance close",
        description=(
            "Produit le procès-verbal d'une séance close à partir de ses données figées "
            "(sans --sign : un projet marqué « PROJET — non signé »). Avec --sign seul, "
            "le certificat de l'organisme appose son cachet électronique dans les cadres du "
            "président et du secrétaire ; avec --sign et --sign-secretary, chacun signe avec "
            "son certificat personnel. Le PV signé (PDF/A-2b) est enregistré avec son "
            "empreinte SHA-256 et la séance devient « signée ». Pour une séance déjà "
            "signée, réécrit à l'identique le fichier signé conservé."
        ),
    )
    minutes.add_argument("session_id", metavar="SEANCE", type=int, help="numéro de la séance")
    _add_output_argument(minutes)
    _add_signing_arguments(minutes)
    add_db_argument(minutes)
    minutes.set_defaults(func=run_minutes)

    extract_help = "extrait du procès-verbal signé pour un candidat (autres candidats occultés)"
    extract = subparsers.add_parser("extract", help=extract_help, description=extract_help)
    extract.add_argument("session_id", metavar="SEANCE", type=int, help="numéro de la séance")
    extract.add_argument("nur", metavar="NUR", help="numéro unique de la demande")
    _add_output_argument(extract)
    _add_signing_arguments(extract)
    add_db_argument(extract)
    extract.set_defaults(func=run_extract)

    rectificatif_help = "rectificatif du procès-verbal signé (rectifications enregistrées)"
    rectificatif = subparsers.add_parser("rectificatif", help=rectificatif_help,
                                         description=rectificatif_help)
    rectificatif.add_argument("session_id", metavar="SEANCE", type=int,
                              help="numéro de la séance")
    recorded = rectificatif.add_argument_group(
        "nouvelle rectification", "enregistrée avant de produire le rectificatif (les "
        "quatre mentions sont requises ; le certificat est ouvert avant : si la signature "
        "échoue ensuite, la rectification reste enregistrée : relancez sans ces options)")
    recorded.add_argument("--point", help="point du procès-verbal rectifié")
    recorded.add_argument("--initiale", metavar="TEXTE",
                          help="mention telle qu'elle figure au procès-verbal signé")
    recorded.add_argument("--rectifiee", metavar="TEXTE", help="mention qui la remplace")
    recorded.add_argument("--motif", help="motif de la rectification")
    recorded.add_argument("--candidature", nargs=2, metavar=("LOGEMENT", "NUR"),
                          help="candidature rectifiée, s'il y en a une (son extrait du "
                               "procès-verbal reprendra la rectification)")
    _add_output_argument(rectificatif)
    _add_signing_arguments(rectificatif)
    add_db_argument(rectificatif)
    rectificatif.set_defaults(func=run_rectificatif)

    for name, help_text in (
        ("agenda", "ordre du jour et convocation d'une séance"),
        ("sheets", "fiches candidats d'une séance (une page par candidat)"),
        ("letters", "courriers d'une séance close, d'après la situation de chaque "
                    "candidature à ce jour (refus, condition, bail signé)"),
    ):
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("session_id", metavar="SEANCE", type=int, help="numéro de la séance")
        _add_output_argument(sub)
        add_db_argument(sub)
        sub.set_defaults(func=run_session_document, document=name)

    verify = subparsers.add_parser(
        "verify",
        help="vérifier les signatures d'un PDF signé (procès-verbal, extrait, rectificatif)",
        description=(
            "Vérifie chaque signature du PDF : intégrité, validité cryptographique, "
            "certificat reconnu parmi les certificats de confiance (ceux des paramètres et "
            "ceux donnés par --trust), absence de modification non autorisée ; avec --db, "
            "le fichier doit être identique (SHA-256) à un document signé conservé. Code "
            "de sortie 0 seulement si tout est vérifié ; rapport en français dans les deux "
            "cas."
        ),
    )
    verify.add_argument("file", metavar="FICHIER.pdf", type=Path, help="PDF signé à vérifier")
    verify.add_argument("--trust", metavar="CERT.pem", type=Path, action="append",
                        default=[], help="certificat de confiance (PEM ou DER ; répétable)")
    verify.add_argument("--sha256", metavar="EMPREINTE",
                        help="empreinte SHA-256 attendue du fichier (64 caractères hexadécimaux)")
    add_db_argument(verify)
    verify.set_defaults(func=run_verify)

    sample_help = "produire un procès-verbal d'exemple (données fictives), signé ou non"
    sample = subparsers.add_parser("sample-minutes", help=sample_help, description=sample_help)
    _add_output_argument(sample)
    sample.add_argument("--dwellings", type=int, default=6, metavar="N",
                        help="nombre de logements (6 par défaut)")
    sample.add_argument("--candidates", type=int, default=3, metavar="N",
                        help="candidats par logement (3 par défaut)")
    _add_signing_arguments(sample, personal=False)
    sample.set_defaults(func=run_sample_minutes)

    cert = subparsers.add_parser(
        "demo-certificate",
        help="créer un certificat de démonstration auto-signé (PKCS#12 + PEM)",
        description=(
            "Crée un certificat d'organisation auto-signé et sa clé dans un fichier "
            "PKCS#12 protégé par la phrase secrète du fichier donné, et le certificat seul "
            "au format PEM à côté (à ajouter aux certificats de confiance). Pour la "
            "démonstration et les essais uniquement."
        ),
    )
    cert.add_argument("-o", "--output", metavar="FICHIER.p12", type=Path, required=True,
                      help="fichier PKCS#12 à écrire (le certificat PEM à côté)")
    cert.add_argument("--passphrase-file", metavar="FICHIER", type=Path, required=True,
                      help="fichier contenant la phrase secrète qui protégera la clé")
    cert.add_argument("--organisation",
                      help="nom de l'organisation du certificat (défaut : démonstration)")
    cert.set_defaults(func=run_demo_certificate)


def _add_output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FICHIER.pdf", type=Path, required=True,
                        help="fichier PDF à écrire")


def _add_signing_arguments(parser: argparse.ArgumentParser, *, personal: bool = True) -> None:
    parser.add_argument(
        "--sign", metavar="CERT.p12", type=Path,
        help="signer avec ce certificat PKCS#12 : celui de l'organisme (cachet électronique "
             "dans les deux cadres)" + (", ou celui du président avec --sign-secretary"
                                       if personal else ""))
    parser.add_argument("--passphrase-file", metavar="FICHIER", type=Path,
                        help="fichier contenant la phrase secrète du certificat")
    if personal:
        parser.add_argument("--sign-secretary", metavar="CERT.p12", type=Path,
                            help="certificat personnel du secrétaire de séance (--sign est "
                                 "alors celui du président)")
        parser.add_argument("--secretary-passphrase-file", metavar="FICHIER", type=Path,
                            help="fichier contenant la phrase secrète du certificat du "
                                 "secrétaire")


def passphrase_for(args: argparse.Namespace) -> bytes | None:
    """The passphrase when `--sign` is given; checks the two options go together."""
    return _passphrase(args.sign, args.passphrase_file, "--sign", "--passphrase-file")


def _passphrase(certificate: Path | None, passphrase_file: Path | None, sign_option: str,
                file_option: str) -> bytes | None:
    from caleol.services import signing

    if certificate is None:
        if passphrase_file is not None:
            raise CaleolError(f"{file_option} n'a de sens qu'avec {sign_option}.")
        return None
    if passphrase_file is None:
        raise CaleolError(f"{sign_option} demande {file_option} (la phrase secrète n'est "
                          "jamais lue sur la ligne de commande).")
    return signing.read_passphrase_file(passphrase_file)


def trusted_paths(extra: list[Path]) -> list[Path]:
    configured = [Path(p) for p in settings_module.load().trusted_certificates]
    return [*configured, *extra]


def write_output(path: Path, data: bytes) -> None:
    """Write through a temporary file so a failure never leaves half a PDF."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise CaleolError(f"Impossible d'écrire {path} ({exc.strerror}).") from None


def _engine(args: argparse.Namespace) -> Engine:
    from caleol.db.engine import open_database, sqlite_path

    url = database_from_args(args)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise CaleolError(f"Base de données introuvable : {path}")
    return open_database(url, upgrade=False)


def _signing_keys(args: argparse.Namespace) -> dict[str, session_minutes.SigningKey]:
    """`key` (and `secretary_key`) for the produce functions, from the options."""
    from caleol.services.documents import session_minutes

    keys: dict[str, session_minutes.SigningKey] = {}
    passphrase = passphrase_for(args)
    if passphrase is not None:
        keys["key"] = session_minutes.SigningKey(args.sign, passphrase)
    secretary = _passphrase(args.sign_secretary, args.secretary_passphrase_file,
                            "--sign-secretary", "--secretary-passphrase-file")
    if secretary is not None:
        if not keys:
            raise CaleolError("--sign-secretary demande aussi --sign (le certificat "
                              "personnel du président).")
        keys["secretary_key"] = session_minutes.SigningKey(args.sign_secretary, secretary)
    # opened now: a wrong passphrase stops the command before a rectification is recorded
    # (it was recorded, then its rectificatif failed to sign)
    from caleol.services.certificates import load_certificate

    for key in keys.values():
        load_certificate(key.p12_path, key.passphrase)
    return keys


def _report_produced(what: str, produced: session_minutes.ProducedDocument,
                     output: Path) -> int:
    write_output(output, produced.pdf)
    if produced.reexported:
        state = "signé (fichier conservé, réécrit à l'identique)"
    elif produced.signed:
        state = "signé et enregistré dans la base"
    else:
        state = "non signé (brouillon, non enregistré)"
    print(f"{what} {state} écrit dans {output}.\nEmpreinte SHA-256 : {produced.sha256}")
    return EXIT_OK


def _run_signable(args: argparse.Namespace, what: str, produce: Callable[..., Any]) -> int:
    """Minutes, extract and rectificatif share one path: keys, engine, produce, report."""
    keys = _signing_keys(args)
    engine = _engine(args)
    try:
        produced = produce(engine, settings=settings_module.load(), **keys)
    finally:
        engine.dispose()
    return _report_produced(what, produced, args.output)


def run_minutes(args: argparse.Namespace) -> int:
    from caleol.services.documents import session_minutes

    return _run_signable(args, "Procès-verbal", lambda engine, **kw: (
        session_minutes.produce_minutes(engine, args.session_id, **kw)))


def run_extract(args: argparse.Namespace) -> int:
    from caleol.services.documents import session_minutes

    return _run_signable(args, "Extrait du procès-verbal", lambda engine, **kw: (
        session_minutes.produce_extract(engine, args.session_id, args.nur, **kw)))


def run_rectificatif(args: argparse.Namespace) -> int:
    from caleol.services.documents import session_minutes

    def produce(engine: Engine, **kw: Any) -> session_minutes.ProducedDocument:
        _record_rectification(engine, args)
        return session_minutes.produce_rectificatif(engine, args.session_id, **kw)

    return _run_signable(args, "Rectificatif", produce)


def _record_rectification(engine: Engine, args: argparse.Namespace) -> None:
    """The rectification given by the options, if any, recorded for the séance."""
    from caleol.services import sessions
    from caleol.services.documents import session_minutes
    from caleol.services.documents.rectification_text import RectificationParts
    from caleol.services.sessions import find

    texts = (args.point, args.initiale, args.rectifiee, args.motif)
    if not any(texts) and args.candidature is None:
        return
    candidacy = find.candidacy_id(engine, args.session_id, *args.candidature) \
        if args.candidature else None
    author = sessions.session_detail(engine, args.session_id).secretary_name
    session_minutes.record_rectification(
        engine, args.session_id, RectificationParts(*(t or "" for t in texts)),
        author=author, candidacy_id=candidacy)


def run_session_document(args: argparse.Namespace) -> int:
    """agenda, sheets, letters: unsigned documents of a séance."""
    from caleol.services.documents import session_minutes

    withheld: tuple[str, ...] = ()
    engine = _engine(args)
    try:
        settings = settings_module.load()
        if args.document == "letters":
            letters = session_minutes.produce_letter_set(engine, args.session_id,
                                                         settings=settings)
            pdf, withheld = letters.pdf, letters.withheld
        elif args.document == "agenda":
            pdf = session_minutes.produce_agenda(engine, args.session_id, settings=settings)
        else:
            pdf = session_minutes.produce_candidate_sheets(engine, args.session_id,
                                                           settings=settings)
    finally:
        engine.dispose()
    write_output(args.output, pdf)
    print(f"Document écrit dans {args.output}.")
    if withheld:
        print("Sans courrier aujourd'hui :")
        for line in withheld:
            print(f"  • {line}")
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    from caleol.services import signing
    from caleol.services.documents import session_minutes

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CaleolError(f"Impossible de lire {args.file} : {os_error_reason(exc)}.") from None
    trust = trusted_paths(args.trust)
    if getattr(args, "db", None):
        engine = _engine(args)
        try:
            report = session_minutes.verify_with_database(engine, data, trust)
        finally:
            engine.dispose()
        if args.sha256 and report.sha256 != args.sha256.strip().lower():
            report = dataclasses.replace(report, expected_sha256=args.sha256)
    else:
        report = signing.verify_pdf(data, trust, expected_sha256=args.sha256)
    print(f"Vérification de {args.file}")
    if not trust:
        print("Aucun certificat de confiance : ajoutez --trust CERT.pem ou configurez-en "
              "dans les paramètres.")
    print(report.text())
    return EXIT_OK if report.ok else EXIT_FAILURE


def run_sample_minutes(args: argparse.Namespace) -> int:
    from caleol.services import signing
    from caleol.services.documents.minutes import render_minutes
    from caleol.services.documents.samples import sample_minutes_data
    from caleol.services.documents.signing_plan import plan_signatures

    passphrase = passphrase_for(args)
    if args.dwellings < 0 or args.candidates < 1:
        raise CaleolError("Il faut au moins un candidat par logement.")
    data = sample_minutes_data(args.dwellings, args.candidates)
    if passphrase is None:
        pdf = render_minutes(data)
    else:
        timestamp_server = settings_module.load().timestamp_server
        plan, signatures = plan_signatures(
            data.letterhead.landlord, data.president, data.secretary,
            signing.load_certificate(args.sign, passphrase),
            timestamp_server=timestamp_server)
        pdf = signing.sign_signatures(render_minutes(data, plan), signatures,
                                      location=data.letterhead.city,
                                      timestamp_url=timestamp_server)
    write_output(args.output, pdf)
    state = "signé" if passphrase is not None else "non signé"
    print(f"Procès-verbal d'exemple {state} écrit dans {args.output} "
          f"(SHA-256 {signing.sha256_hex(pdf)}).")
    return EXIT_OK


def run_demo_certificate(args: argparse.Namespace) -> int:
    from caleol.services import signing

    passphrase = signing.read_passphrase_file(args.passphrase_file)
    if not passphrase:
        raise CaleolError("La phrase secrète est vide.")
    pem = signing.create_demo_certificate(
        args.output, passphrase, args.organisation or signing.DEMO_ORGANISATION)
    sys.stdout.write(f"Certificat de démonstration : {args.output}\n"
                     f"Certificat à ajouter aux certificats de confiance : {pem}\n")
    return EXIT_OK
