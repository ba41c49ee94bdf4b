"""Document sub-commands: `verify` a signed PDF, `sample-minutes`, `demo-certificate`.

Thin: rendering lives in `caleol.services.documents`, signatures in
`caleol.services.signing`. A passphrase is read from a file (never from the command
line, where other users could see it) and is never written anywhere.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caleol import settings as settings_module
from caleol.errors import CaleolError
from caleol.services import signing
from caleol.services.documents.layout import PRESIDENT_FIELD, SECRETARY_FIELD
from caleol.services.documents.minutes import render_minutes
from caleol.services.documents.samples import sample_minutes_data

EXIT_OK = 0
EXIT_FAILURE = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    verify = subparsers.add_parser(
        "verify",
        help="vérifier les signatures d'un PDF signé (procès-verbal, extrait, rectificatif)",
        description=(
            "Vérifie chaque signature du PDF : intégrité, validité cryptographique, "
            "certificat reconnu parmi les certificats de confiance (ceux des paramètres et "
            "ceux donnés par --trust), absence de modification non autorisée. Code de "
            "sortie 0 seulement si tout est vérifié ; rapport en français dans les deux cas."
        ),
    )
    verify.add_argument("file", metavar="FICHIER.pdf", type=Path)
    verify.add_argument("--trust", metavar="CERT.pem", type=Path, action="append",
                        default=[], help="certificat de confiance (PEM ou DER ; répétable)")
    verify.add_argument("--sha256", metavar="EMPREINTE",
                        help="empreinte SHA-256 attendue du fichier (64 caractères hexadécimaux)")
    verify.set_defaults(func=run_verify)

    sample = subparsers.add_parser(
        "sample-minutes",
        help="produire un procès-verbal d'exemple (données fictives), signé ou non",
    )
    sample.add_argument("-o", "--output", metavar="FICHIER.pdf", type=Path, required=True)
    sample.add_argument("--dwellings", type=int, default=6, metavar="N",
                        help="nombre de logements (6 par défaut)")
    sample.add_argument("--candidates", type=int, default=3, metavar="N",
                        help="candidats par logement (3 par défaut)")
    _add_signing_arguments(sample)
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
    cert.add_argument("-o", "--output", metavar="FICHIER.p12", type=Path, required=True)
    cert.add_argument("--passphrase-file", metavar="FICHIER", type=Path, required=True)
    cert.add_argument("--organisation", default=signing.DEMO_ORGANISATION)
    cert.set_defaults(func=run_demo_certificate)


def _add_signing_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sign", metavar="CERT.p12", type=Path,
                        help="signer avec ce certificat PKCS#12 (président et secrétaire)")
    parser.add_argument("--passphrase-file", metavar="FICHIER", type=Path,
                        help="fichier contenant la phrase secrète du certificat")


def passphrase_for(args: argparse.Namespace) -> bytes | None:
    """The passphrase when `--sign` is given; checks the two options go together."""
    if args.sign is None:
        if args.passphrase_file is not None:
            raise CaleolError("--passphrase-file n'a de sens qu'avec --sign.")
        return None
    if args.passphrase_file is None:
        raise CaleolError("--sign demande --passphrase-file (la phrase secrète n'est "
                          "jamais lue sur la ligne de commande).")
    return signing.read_passphrase_file(args.passphrase_file)


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


def run_verify(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CaleolError(f"Impossible de lire {args.file} ({exc.strerror}).") from None
    trust = trusted_paths(args.trust)
    report = signing.verify_pdf(data, trust, expected_sha256=args.sha256)
    print(f"Vérification de {args.file}")
    if not trust:
        print("Aucun certificat de confiance : ajoutez --trust CERT.pem ou configurez-en "
              "dans les paramètres.")
    print(report.text())
    return EXIT_OK if report.ok else EXIT_FAILURE


def run_sample_minutes(args: argparse.Namespace) -> int:
    passphrase = passphrase_for(args)
    if args.dwellings < 0 or args.candidates < 1:
        raise CaleolError("Il faut au moins un candidat par logement.")
    data = sample_minutes_data(args.dwellings, args.candidates)
    pdf = render_minutes(data)
    if passphrase is not None:
        pdf = signing.sign_fields(pdf, args.sign, passphrase, {
            PRESIDENT_FIELD: f"{data.president} — présidence de séance",
            SECRETARY_FIELD: f"{data.secretary} — secrétariat de séance",
        }, location=data.letterhead.city)
    write_output(args.output, pdf)
    state = "signé" if passphrase is not None else "non signé"
    print(f"Procès-verbal d'exemple {state} écrit dans {args.output} "
          f"(SHA-256 {signing.sha256_hex(pdf)}).")
    return EXIT_OK


def run_demo_certificate(args: argparse.Namespace) -> int:
    passphrase = signing.read_passphrase_file(args.passphrase_file)
    if not passphrase:
        raise CaleolError("La phrase secrète est vide.")
    pem = signing.create_demo_certificate(args.output, passphrase, args.organisation)
    sys.stdout.write(f"Certificat de démonstration : {args.output}\n"
                     f"Certificat à ajouter aux certificats de confiance : {pem}\n")
    return EXIT_OK
