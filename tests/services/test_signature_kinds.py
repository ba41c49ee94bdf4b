"""What a signature says it is: the landlord's seal or a person's own signature, the
time in Europe/Paris, and an RFC 3161 timestamp from a (local) timestamp server."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader

from caleol.errors import CaleolError
from caleol.services import signing
from caleol.services.certificates import write_self_signed
from caleol.services.documents import stamp
from caleol.services.documents.minutes import render_minutes
from caleol.services.documents.samples import sample_minutes_data
from caleol.services.documents.signing_plan import plan_signatures, same_person

sys.path.insert(0, str(Path(__file__).resolve().parent / "documents"))
from pdf_probe import text_of
from tsa_server import TSA_NAME, local_tsa

PASS = b"pw"
DATA = sample_minutes_data(1, 3)  # president Mme Brigitte Kieffer, secretary M. Thomas Lefèvre
WINTER = datetime(2026, 12, 3, 9, 56, 2, tzinfo=UTC)  # 10:56:02 in Paris (UTC+1)
SUMMER = datetime(2026, 7, 1, 12, 0, 0, tzinfo=UTC)  # 14:00:00 in Paris (UTC+2)


def person(folder: Path, given: str, surname: str) -> tuple[Path, Path]:
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.GIVEN_NAME, given),
        x509.NameAttribute(NameOID.SURNAME, surname),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{given} {surname}"),
    ])
    p12 = folder / f"{surname.lower()}.p12"
    return p12, write_self_signed(p12, PASS, name, friendly_name=f"{given} {surname}")


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("certs")
    organisation = folder / "vivest.p12"
    return {
        "organisation": (organisation, signing.create_demo_certificate(organisation, PASS)),
        "president": person(folder, "Brigitte", "KIEFFER"),
        "secretary": person(folder, "Thomas", "LEFÈVRE"),
    }


def load(certs, who: str) -> signing.Certificate:
    return signing.load_certificate(certs[who][0], PASS)


@pytest.fixture
def stamps(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The lines of every visible stamp drawn (in signing order)."""
    drawn: list[list[str]] = []
    real = stamp.stamp_pdf

    def spy(lines, width, height):
        drawn.append([text for text, _bold in lines])
        return real(lines, width, height)

    monkeypatch.setattr(stamp, "stamp_pdf", spy)
    return drawn


def sealed(certs, clock=lambda: WINTER, timestamp_url: str = "") -> bytes:
    plan, signatures = plan_signatures("Vivest", DATA.president, DATA.secretary,
                                       load(certs, "organisation"),
                                       timestamp_server=timestamp_url)
    return signing.sign_signatures(render_minutes(DATA, plan), signatures,
                                   location="Forbach", timestamp_url=timestamp_url,
                                   clock=clock)


def test_an_organisation_certificate_is_the_landlords_seal_in_both_boxes(certs, stamps
                                                                        ) -> None:
    pdf = sealed(certs)
    content = text_of(pdf)
    assert ("Document revêtu du cachet électronique de Vivest, apposé dans chacun des deux "
            "cadres ci-dessous pour le compte des personnes qui ont tenu la séance : Mme "
            "Brigitte Kieffer, présidente de séance, et M. Thomas Lefèvre, secrétaire de "
            "séance.") in content
    assert "Signé électroniquement par" not in content
    assert stamps[0][:3] == ["Cachet électronique de Vivest",
                             "pour Mme Brigitte Kieffer, présidente de séance",
                             "Certificat : Vivest (démonstration)"]
    assert stamps[1][1] == "pour M. Thomas Lefèvre, secrétaire de séance"
    report = signing.verify_pdf(pdf, [certs["organisation"][1]])
    assert report.ok, report.text()
    assert [s.label for s in report.signatures] == [
        "Cachet électronique de Vivest, pour Mme Brigitte Kieffer, présidente de séance",
        "Cachet électronique de Vivest, pour M. Thomas Lefèvre, secrétaire de séance"]


def test_personal_certificates_are_named_from_their_subjects(certs, stamps) -> None:
    plan, signatures = plan_signatures("Vivest", DATA.president, DATA.secretary,
                                       load(certs, "president"), load(certs, "secretary"))
    pdf = signing.sign_signatures(render_minutes(DATA, plan), signatures, clock=lambda: WINTER)
    content = text_of(pdf)
    assert ("Signé électroniquement par Brigitte KIEFFER (présidente de séance) et par "
            "Thomas LEFÈVRE (secrétaire de séance), chacun avec son certificat personnel."
            ) in content
    assert "cachet électronique" not in content
    assert stamps[0][:3] == ["Signé électroniquement par",
                             "Brigitte KIEFFER, présidente de séance",
                             "Certificat délivré par Brigitte KIEFFER"]  # self-signed
    assert stamps[1][1] == "Thomas LEFÈVRE, secrétaire de séance"
    report = signing.verify_pdf(pdf, [certs["president"][1], certs["secretary"][1]])
    assert report.ok, report.text()
    assert [s.signer for s in report.signatures] == ["Brigitte KIEFFER", "Thomas LEFÈVRE"]


def test_a_certificate_cannot_sign_for_what_it_is_not(certs) -> None:
    with pytest.raises(CaleolError, match="celui d'une personne"):
        plan_signatures("Vivest", DATA.president, DATA.secretary, load(certs, "president"))
    with pytest.raises(CaleolError, match="celui d'un organisme"):
        plan_signatures("Vivest", DATA.president, DATA.secretary, load(certs, "president"),
                        load(certs, "organisation"))


def test_a_personal_certificate_signs_only_for_the_person_it_names(certs) -> None:
    # Seen in the audit: Mme Claire Martin's certificate signed the box of M. Paul Weber,
    # the séance's president, and the PV read « Claire Martin, président de séance ».
    with pytest.raises(CaleolError, match=r"Le certificat de Thomas LEFÈVRE ne peut pas "
                                          r"signer pour Mme Brigitte Kieffer, présidente"):
        plan_signatures("Vivest", DATA.president, DATA.secretary, load(certs, "secretary"),
                        load(certs, "president"))
    with pytest.raises(CaleolError, match=r"pour M\. Paul Weber, secrétaire de séance"):
        plan_signatures("Vivest", DATA.president, "M. Paul Weber", load(certs, "president"),
                        load(certs, "secretary"))


@pytest.mark.parametrize(("printed", "person", "same"), [
    ("Mme Brigitte Kieffer", "Brigitte KIEFFER", True),
    ("M. Thomas Lefèvre", "LEFEVRE Thomas", True),  # accents, case, order
    ("M. Marc Roth, adjoint au maire de Metz", "Marc Roth", True),  # quality after a comma
    ("Mme Anne-Marie Klein", "Anne Marie KLEIN", True),
    ("Mme Claire Martin", "Claire Hélène MARTIN", True),  # a middle name on one side
    ("M. Paul Weber", "Claire Martin", False),
    ("Mme Claire Martin", "Claire Weber", False),
    ("Mme", "Claire Martin", False),
])
def test_same_person(printed: str, person: str, same: bool) -> None:
    assert same_person(printed, person) is same


@pytest.mark.parametrize(("moment", "paris"), [
    (WINTER, ("03/12/2026 à 10:56:02", "D:20261203105602+01'00'")),
    (SUMMER, ("01/07/2026 à 14:00:00", "D:20260701140000+02'00'")),
])
def test_signing_times_are_paris_time(certs, stamps, moment, paris) -> None:
    shown, pdf_date = paris
    pdf = sealed(certs, clock=lambda: moment)
    assert stamps[0][3] == f"Le {shown} (heure de Paris)"
    signature = next(iter(PdfFileReader(io.BytesIO(pdf)).embedded_signatures))
    assert str(signature.sig_object["/M"]) == pdf_date
    report = signing.verify_pdf(pdf, [certs["organisation"][1]]).text()
    assert f"signée le {shown} (heure de Paris)" in report
    assert "UTC" not in report


def test_without_a_timestamp_server_the_time_is_the_computers(certs, stamps) -> None:
    pdf = sealed(certs)
    assert ("Les dates et heures de signature sont en heure de Paris et données par "
            "l'horloge de l'ordinateur qui a signé (aucun serveur d'horodatage n'est "
            "configuré).") in text_of(pdf)
    assert stamps[0][4] == "Heure donnée par l'ordinateur du signataire"
    report = signing.verify_pdf(pdf, [certs["organisation"][1]])
    assert all(s.timestamp is None for s in report.signatures)
    assert "horodatage : aucun (heure donnée par l'horloge de l'ordinateur" in report.text()


def test_a_timestamp_server_stamps_every_signature(certs, stamps, tmp_path) -> None:
    with local_tsa(tmp_path) as tsa:
        pdf = sealed(certs, clock=lambda: datetime.now(UTC), timestamp_url=tsa.url)
    # one token per signature (pyHanko asks a first one to size the signature)
    assert len(tsa.requests) >= 2
    assert ("chaque signature porte un jeton d'horodatage RFC 3161 du serveur 127.0.0.1."
            in text_of(pdf))
    assert stamps[0][4] == "Horodatage RFC 3161 : 127.0.0.1"
    trusted = signing.verify_pdf(pdf, [certs["organisation"][1], tsa.certificate])
    assert trusted.ok, trusted.text()
    for signature in trusted.signatures:
        assert signature.timestamp is not None and signature.timestamp.ok
        assert signature.timestamp.authority == TSA_NAME
        assert abs((signature.timestamp.at - signature.signed_at).total_seconds()) < 60
    assert f"par {TSA_NAME} — valide, autorité de confiance" in trusted.text()
    # The same file, the TSA's certificate not trusted: said, and refused.
    untrusted = signing.verify_pdf(pdf, [certs["organisation"][1]])
    assert not untrusted.ok
    assert "autorité NON RECONNUE" in untrusted.text()


def test_a_timestamp_server_that_refuses_signs_nothing(certs, tmp_path) -> None:
    with local_tsa(tmp_path, status=503) as tsa, \
            pytest.raises(CaleolError, match=r"serveur d.horodatage .* rien n.a été signé"):
        sealed(certs, timestamp_url=tsa.url)
    # nothing listens there any more
    with pytest.raises(CaleolError, match="n'a pas répondu ou a refusé"):
        sealed(certs, timestamp_url=tsa.url)


def test_a_seal_in_one_box_says_so(certs, stamps) -> None:
    # Seen in the audit: « Signatures » with the secretary's box unticked (the window
    # allows it) still read « apposé dans chacun des deux cadres … et M. Thomas Lefèvre ».
    plan, signatures = plan_signatures("Vivest", DATA.president, DATA.secretary,
                                       load(certs, "organisation"), fields=("Président",))
    pdf = signing.sign_signatures(render_minutes(DATA, plan), signatures, clock=lambda: WINTER)
    content = text_of(pdf)
    assert ("Document revêtu du cachet électronique de Vivest, apposé dans le seul cadre de "
            "la présidente de séance pour le compte de Mme Brigitte Kieffer ; le cadre du "
            "secrétaire de séance n'est pas signé.") in content
    assert "chacun des deux cadres" not in content
    assert len(stamps) == 1


def test_no_seal_and_no_signature_for_a_secretary_not_designated(certs, stamps) -> None:
    # Seen in the audit: a séance closed with no secretary, sealed, read « … et non
    # désigné, secrétaire de séance » and « pour non désigné, secrétaire de séance ».
    plan, signatures = plan_signatures("Vivest", DATA.president, "non désigné",
                                       load(certs, "organisation"))
    assert [s.field_name for s in signatures] == ["Président"]
    data = replace(DATA, secretary="non désigné")
    content = text_of(signing.sign_signatures(render_minutes(data, plan), signatures,
                                              clock=lambda: WINTER))
    assert "pour non désigné" not in content and "et non désigné" not in content
    assert ("apposé dans le seul cadre de la présidente de séance pour le compte de Mme "
            "Brigitte Kieffer ; aucun secrétaire de séance n'a été désigné.") in content
    with pytest.raises(CaleolError, match="Aucun secrétaire de séance n'est désigné"):
        plan_signatures("Vivest", DATA.president, "non désigné", load(certs, "president"),
                        load(certs, "secretary"))


def test_the_seal_contracts_the_landlords_article(certs) -> None:
    # Seen on a new base (« Le Foyer Rémois »): the PV, its stamps and the signature's
    # name read « Cachet électronique de Le Foyer Rémois ».
    plan, signatures = plan_signatures("Le Foyer Rémois", DATA.president, DATA.secretary,
                                       load(certs, "organisation"))
    assert [s.stamp[0] for s in signatures] == ["Cachet électronique du Foyer Rémois"] * 2
    assert signatures[0].label == ("Cachet électronique du Foyer Rémois, pour Mme Brigitte "
                                   "Kieffer, présidente de séance")
    content = text_of(render_minutes(DATA, plan))
    assert "Document revêtu du cachet électronique du Foyer Rémois, apposé dans chacun" in (
        content)
    assert "de Le Foyer" not in content
    one, _ = plan_signatures("Alliade Habitat", DATA.president, DATA.secretary,
                             load(certs, "organisation"), fields=("Président",))
    assert ("Document revêtu du cachet électronique d'Alliade Habitat, apposé dans le seul "
            "cadre") in text_of(render_minutes(DATA, one))
