"""Records kept for decades: PDF/A-2b metadata, every font embedded, drafts marked.

veraPDF (the reference PDF/A validator) is not available here; these tests check what
can be read back: the XMP declares part 2 / conformance B and mirrors the information
dictionary after every signature, the output intent carries the shipped sRGB profile,
every font (signature stamps included) is embedded, annotations print, nothing is
encrypted nor scripted.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pdf_probe import fonts_of, line_starts, pages_text, text_of
from pypdf import PdfReader

from caleol.services import signing
from caleol.services.documents import layout
from caleol.services.documents.agenda import render_agenda
from caleol.services.documents.data import (
    Correction,
    OriginalReference,
    RectificatifData,
)
from caleol.services.documents.layout import data_table
from caleol.services.documents.letters import LetterOptions, render_letters, session_letters
from caleol.services.documents.minutes import render_minutes
from caleol.services.documents.pages import build_pdf
from caleol.services.documents.pdfa import icc_profile
from caleol.services.documents.rectificatif import render_rectificatif
from caleol.services.documents.samples import sample_minutes_data
from caleol.services.documents.sheets import render_candidate_sheets
from caleol.services.documents.signing_plan import plan_signatures

DATA = sample_minutes_data(6, 3)
XMP_PAIRS = {  # information dictionary entry → XMP property (ISO 19005-2, 6.6.2.3.1)
    "/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description",
    "/Creator": "xmp:CreatorTool", "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate", "/ModDate": "xmp:ModifyDate",
    "/Keywords": "pdf:Keywords",
}


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    p12 = tmp_path_factory.mktemp("cert") / "vivest.p12"
    return p12, signing.create_demo_certificate(p12, b"pw")


def seal(pdf_of, cert) -> bytes:
    """`pdf_of(plan)` rendered for the seal, then sealed in both boxes."""
    certificate = signing.load_certificate(cert[0], b"pw")
    plan, signatures = plan_signatures("Vivest", DATA.president, DATA.secretary, certificate)
    return signing.sign_signatures(pdf_of(plan), signatures, location="Forbach")


def rectificatif_data() -> RectificatifData:
    return RectificatifData(
        letterhead=DATA.letterhead, session=DATA.session,
        original=OriginalReference(date(2026, 3, 10), date(2026, 3, 11), "9f" * 32),
        corrections=(Correction("Logement FOR-1201-08, candidat 057240900105A5761, décision",
                                "Attribution par ordre de priorité — rang 2",
                                "Attribution par ordre de priorité — rang 1",
                                "Erreur matérielle de saisie", "M. Thomas Lefèvre",
                                date(2026, 3, 12)),),
        president=DATA.president, secretary=DATA.secretary, issued_on=date(2026, 3, 12))


@pytest.fixture(scope="module")
def signed_records(cert) -> dict[str, bytes]:
    # the PV carries metadata keywords (the audit chain's anchor): mirrored too
    keyed = replace(DATA, keywords=("caleol-ancre:0123abcd",))
    return {"pv": seal(lambda plan: render_minutes(keyed, plan), cert),
            "rectificatif": seal(lambda plan: render_rectificatif(rectificatif_data(), plan),
                                 cert)}


def xmp_values(reader: PdfReader) -> dict[str, str]:
    xml = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    values = dict(re.findall(r'(\w+:\w+)="([^"]*)"', xml))
    for tag in ("dc:title", "dc:creator", "dc:description"):
        match = re.search(rf"<{tag}[^>]*>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xml, re.DOTALL)
        if match:
            values[tag] = match[1]
    return values


def pdf_date(value: str) -> str:
    """`D:20261203105602+01'00'` → `2026-12-03T10:56:02+01:00` (XMP's form)."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d\d'\d\d'?)?", value)
    assert m, value
    zone = m[7] or "Z"
    zone = "+00:00" if zone == "Z" else zone[:3] + ":" + zone[4:6]
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}{zone}"


@pytest.mark.parametrize("kind", ["pv", "rectificatif"])
def test_signed_records_are_pdfa_2b(signed_records, kind) -> None:
    pdf = signed_records[kind]
    assert pdf.startswith(b"%PDF-1.7\n%")  # a binary comment follows the header
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = xmp_values(reader)
    assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "B"
    # every entry of the information dictionary has its XMP twin, equal, after the
    # two incremental signatures
    info = reader.trailer["/Info"].get_object()
    assert set(info) <= set(XMP_PAIRS)
    for key, value in info.items():
        twin = xmp[XMP_PAIRS[key]]
        if key.endswith("Date"):
            assert pdf_date(str(value)) == twin.replace("Z", "+00:00"), key
        else:
            assert str(value) == twin, key
    assert str(info["/Producer"]).startswith("pyHanko")
    if kind == "pv":
        assert str(info["/Keywords"]) == "caleol-ancre:0123abcd"
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data() == icc_profile()
    assert "/Encrypt" not in reader.trailer
    assert "/JavaScript" not in root.get("/Names", {}) and "/OpenAction" not in root
    for page in reader.pages:
        assert "/Group" not in page  # no transparency group
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            assert int(annotation["/F"]) & 4  # printed
            assert "/N" in annotation["/AP"]


@pytest.mark.parametrize("kind", ["pv", "rectificatif"])
def test_every_font_is_embedded_the_stamps_too(signed_records, kind) -> None:
    fonts = fonts_of(signed_records[kind])
    # pages (regular, bold) and each of the two stamps (regular, bold)
    assert len(fonts) >= 6
    for font in fonts:
        assert font["emb"] == "yes" and font["uni"] == "yes", font
        assert "DejaVuSans" in font["name"], font
    assert not any("Courier" in f["name"] or "Helvetica" in f["name"] for f in fonts)


def test_the_draft_says_so_on_every_page() -> None:
    pdf = render_minutes(DATA)
    pages = pages_text(pdf)
    assert len(pages) > 2
    for page in pages:
        assert "PROJET — non signé" in page
    content = text_of(pdf)
    assert "Fait à" not in content
    assert "Ce projet ne vaut pas original" in content
    assert signing.signature_field_names(pdf) == []  # nothing to sign on a draft
    for font in fonts_of(pdf):
        assert font["emb"] == "yes"


def test_a_record_to_be_signed_has_no_draft_mark(signed_records) -> None:
    for pdf in signed_records.values():
        assert "PROJET" not in text_of(pdf)


DOCUMENTS = {
    "pv": lambda: render_minutes(DATA),
    "agenda": lambda: render_agenda(DATA),
    "fiches": lambda: render_candidate_sheets(DATA),
    "courriers": lambda: render_letters(session_letters(
        DATA, LetterOptions(date(2026, 3, 11), DATA.secretary))),
    "rectificatif": lambda: render_rectificatif(rectificatif_data()),
}


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_no_line_starts_with_a_unit_or_a_colon(kind) -> None:
    starts = line_starts(DOCUMENTS[kind]())
    assert len(starts) > 20
    bad = [s for s in starts if s[:1] in "€%:;»!"]
    assert not bad, bad
    assert not [s for s in starts if s.endswith("«")]


def test_a_dwelling_continued_on_the_next_page_repeats_its_heading() -> None:
    pages = pages_text(render_minutes(DATA))
    continued = [p for p in pages[1:] if "(suite)" in p]
    assert continued
    for page in continued:
        heading = re.search(r"(Logement \d+ / 6 — \S+ — T\d [\d,]+ m² — [^(]+) \(suite\)", page)
        assert heading, page[:300]
        # the same heading was printed in full on an earlier page
        assert any(heading[1] in earlier for earlier in pages[:pages.index(page)])


def test_french_spacing_keeps_units_and_colons_with_their_words(monkeypatch) -> None:
    # A narrow column breaks lines at nearly every space: with ordinary spaces, lines
    # start with « : », « € » or « % » (shown below with the spacing switched off).
    sentence = ("Loyer : 1 873,42 € ; taux d'effort : 35 % ; « logement adapté » ; "
                "reste à vivre : 12,50 € par jour ! ") * 6

    def starts() -> list[str]:
        return line_starts(build_pdf([data_table(("Texte",), [[sentence]], (26,))],
                                     letterhead=DATA.letterhead, title="t",
                                     header_right="", footer_left="").data)

    bound = starts()
    assert not [s for s in bound if s[:1] in "€%:;»!"], bound
    assert not [s for s in bound if s.endswith("«")]
    monkeypatch.setattr(layout, "french_spacing", lambda text: text)
    assert [s for s in starts() if s[:1] in "€%:;»!"]


def test_no_dwelling_heading_alone_at_a_page_foot() -> None:
    # 20 dwellings: headings fall everywhere on the pages; each one printed in full is
    # followed on its page by its candidates' table header
    pages = pages_text(render_minutes(sample_minutes_data(20, 3)))
    headings = 0
    for page in pages:
        for match in re.finditer(r"Logement \d+ / 20 — \S+ — T\d [\d,]+ m² — [^(]+?(?=Adresse)",
                                 page):
            headings += 1
            assert "Candidat Ménage Revenu" in page[match.end():], match[0]
    assert headings == 20
