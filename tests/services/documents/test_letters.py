"""Letters: the right template per decision, reasons in writing, editable templates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pdf_probe import pages_text, text_of

from caleol import paths
from caleol.errors import CaleolError
from caleol.rules.nur import format_nur, normalize_nur
from caleol.services.documents.data import (
    Decision,
    DecisionKind,
    DwellingExamination,
    FollowUp,
)
from caleol.services.documents.letters import (
    Addressee,
    LetterKind,
    LetterOptions,
    candidate_letter,
    fill_template,
    load_template,
    recipient,
    render_letter,
    render_letters,
    reservataire_letter,
    session_letter_set,
    session_letters,
)
from caleol.services.documents.samples import sample_minutes_data

OPTIONS = LetterOptions(issued_on=date(2026, 3, 11), signatory="M. Thomas Lefèvre")


@pytest.fixture(scope="module")
def data():
    return sample_minutes_data(4, 3)


def candidates_by_kind(data, kind: DecisionKind):
    return [c for e in data.dwellings for c in e.candidates if c.decision.kind is kind]


def test_offer_states_dwelling_cost_delay_and_cotation(data) -> None:
    candidate = candidates_by_kind(data, DecisionKind.ATTRIBUTION_RANG)[0]
    assert candidate.decision.rank == 1
    letter = candidate_letter(data, candidate.nur, OPTIONS)
    assert letter.kind is LetterKind.OFFER
    content = text_of(render_letter(letter))
    exam, _ = data.find_candidate(candidate.nur)
    # « Madame Céline ZIMMERMANN »: the civility recorded, written out
    assert format_nur(candidate.nur) in content and recipient(candidate) in content
    assert candidate.nur not in content  # spaced as on the PV and the reports (issue 15)
    assert recipient(candidate).startswith(("Madame ", "Monsieur "))
    assert "attribution par ordre de priorité, au rang 1" in content
    assert exam.dwelling.address in content
    # 11 March + 10 days = Saturday 21 March: the next working day, Monday 23 March
    assert "au plus tard le 23 mars 2026 (10 jours)" in content
    assert f"était de {candidate.cotation}" in content
    assert "Forbach, le 11 mars 2026" in content
    assert "Le secrétaire de la commission d'attribution M. Thomas Lefèvre" in content
    assert "page 1 / 1" in content


def test_answer_delay_is_configurable(data) -> None:
    candidate = candidates_by_kind(data, DecisionKind.ATTRIBUTION_RANG)[0]
    letter = candidate_letter(data, candidate.nur, replace(OPTIONS, answer_days=15))
    # 11 March + 15 days = 26 March
    assert "au plus tard le 26 mars 2026 (15 jours)" in text_of(render_letter(letter))


def test_conditional_offer_names_the_condition_and_deadline(data) -> None:
    candidate = candidates_by_kind(data, DecisionKind.ATTRIBUTION_SOUS_CONDITION)[0]
    content = text_of(render_letter(candidate_letter(data, candidate.nur, OPTIONS)))
    # the sample's condition is typed « … à fournir »: said once (test_letter_wording)
    assert "sous condition suspensive : Avis d'imposition 2025 (revenus 2024), " \
           "à fournir au plus tard le 24 mars 2026" in content
    assert "caduque" in content


def test_refusals_carry_their_reason(data) -> None:
    for kind, letter_kind, title in (
        (DecisionKind.NON_ATTRIBUTION, LetterKind.NON_ATTRIBUTION, "non-attribution"),
        (DecisionKind.IRRECEVABILITE, LetterKind.IRRECEVABILITE, "irrecevabilité"),
    ):
        candidate = candidates_by_kind(data, kind)[0]
        letter = candidate_letter(data, candidate.nur, OPTIONS)
        assert letter.kind is letter_kind
        content = text_of(render_letter(letter))
        assert title in content
        assert candidate.decision.reason in content
        assert "tribunal administratif" in content


def first_ranked_dwelling(data) -> DwellingExamination:
    """The first dwelling whose candidates are ranked 1 and 2, with a non-attribution."""
    return next(e for e in data.dwellings
                if [c.decision.rank for c in e.candidates
                    if c.decision.kind is DecisionKind.ATTRIBUTION_RANG] == [1, 2])


def after(data, exam: DwellingExamination, events: dict[str, tuple[FollowUp, ...]], *,
          holder: str, lease: str = ""):
    """`data` once the séance's events happened on `exam` (holder: who has the offer)."""
    changed = replace(exam, offer_holder=holder, lease_holder=lease, candidates=tuple(
        replace(c, events=events.get(c.nur, ())) for c in exam.candidates))
    return replace(data, dwellings=tuple(changed if e is exam else e for e in data.dwellings))


def test_rank_two_waits_then_gets_the_offer_after_a_refusal(data) -> None:
    exam = first_ranked_dwelling(data)
    first, second = exam.candidates[:2]
    waiting = candidate_letter(data, second.nur, OPTIONS)
    assert waiting.kind is LetterKind.RANK
    assert "votre candidature est classée au rang 2" in text_of(render_letter(waiting))
    with pytest.raises(CaleolError, match=f"proposé à la demande {format_nur(first.nur)}"):
        candidate_letter(data, second.nur, OPTIONS, after_refusal=True)
    refused = after(data, exam, {first.nur: (FollowUp("refusal", date(2026, 3, 12)),)},
                    holder=second.nur)
    offer = candidate_letter(refused, second.nur, OPTIONS, after_refusal=True)
    assert offer.kind is LetterKind.OFFER_AFTER_REFUSAL
    content = text_of(render_letter(offer))
    assert "Le candidat classé avant vous ayant refusé ce logement" in content
    assert "classé votre candidature au rang 2" in content
    assert "au plus tard le 23 mars 2026" in content
    # and `caleol letters` writes it by itself, with none to the one who refused
    found = session_letter_set(refused, OPTIONS)
    kinds = {normalize_nur(x.values.get("nur", "")): x.kind for x in found.letters}
    assert kinds[second.nur] is LetterKind.OFFER_AFTER_REFUSAL
    assert first.nur not in kinds
    assert (f"Demande {format_nur(first.nur)} ({first.name}) : a refusé le logement le "
            "12 mars 2026 : "
            "aucune proposition ne lui est adressée.") in found.withheld


def test_no_offer_once_the_lease_is_signed(data) -> None:
    exam = first_ranked_dwelling(data)
    first, second = exam.candidates[:2]
    # the first refused, the second signed: neither gets an offer any more
    leased = after(data, exam, {first.nur: (FollowUp("refusal", date(2026, 3, 12)),),
                                second.nur: (FollowUp("lease_signed", date(2026, 3, 20)),)},
                   holder="", lease=second.nur)
    found = session_letter_set(leased, OPTIONS)
    nurs = {normalize_nur(x.values.get("nur", "")) for x in found.letters}
    assert first.nur not in nurs and second.nur not in nurs
    assert any(line.startswith(f"Demande {format_nur(second.nur)}") and "son bail est signé depuis "
               "le 20 mars 2026" in line for line in found.withheld)
    with pytest.raises(CaleolError, match="son bail est signé"):
        candidate_letter(leased, second.nur, OPTIONS)
    with pytest.raises(CaleolError, match="a refusé le logement le 12 mars 2026"):
        candidate_letter(leased, first.nur, OPTIONS, after_refusal=True)


def test_a_lapsed_condition_passes_the_offer_on(data) -> None:
    exam = next(e for e in data.dwellings if any(
        c.decision.kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION for c in e.candidates))
    conditional, ranked = exam.candidates[0], exam.candidates[1]
    assert conditional.decision.deadline == date(2026, 3, 24)
    lapsed = after(data, exam, {conditional.nur: (FollowUp("condition_lapsed",
                                                           date(2026, 3, 25)),)},
                   holder=ranked.nur)
    found = session_letter_set(lapsed, replace(OPTIONS, issued_on=date(2026, 3, 26)))
    kinds = {normalize_nur(x.values.get("nur", "")): x.kind for x in found.letters}
    assert conditional.nur not in kinds
    assert kinds[ranked.nur] is LetterKind.OFFER_AFTER_REFUSAL
    assert any("caducité enregistrée le 25 mars 2026" in line for line in found.withheld)


def test_no_condition_deadline_already_past_is_printed_as_open(data) -> None:
    exam = next(e for e in data.dwellings if any(
        c.decision.kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION for c in e.candidates))
    conditional = exam.candidates[0]
    # written on 30 March: the 24 March deadline has passed, nothing recorded
    late = replace(OPTIONS, issued_on=date(2026, 3, 30))
    with pytest.raises(CaleolError, match="délai de sa condition suspensive a expiré le "
                                          "24 mars 2026"):
        candidate_letter(data, conditional.nur, late)
    assert conditional.nur not in {x.values.get("nur")
                                   for x in session_letter_set(data, late).letters}
    # the condition met on 20 March: the offer says so, with no deadline
    met = after(data, exam, {conditional.nur: (FollowUp("condition_met", date(2026, 3, 20)),)},
                holder=conditional.nur)
    content = text_of(render_letter(candidate_letter(met, conditional.nur, late)))
    assert "la condition a été levée le 20 mars 2026" in content
    assert "24 mars 2026" not in content


def test_dalo_offer_says_so(data) -> None:
    candidate = next(c for e in data.dwellings for c in e.candidates
                     if c.dalo and c.decision.kind.is_attribution)
    content = text_of(render_letter(candidate_letter(data, candidate.nur, OPTIONS)))
    assert "au titre du droit au logement opposable (DALO)" in content


def test_reservataire_notice_lists_only_the_candidates_it_presented(data) -> None:
    exam = data.dwellings[0]
    name = exam.dwelling.reservataire
    # on its contingent's dwelling, the landlord presented a candidate of its own
    own_pick = replace(exam.candidates[2], presented_by="Vivest (contingent propre)")
    changed = replace(data, dwellings=(replace(exam, candidates=(*exam.candidates[:2],
                                                                 own_pick)),
                                       *data.dwellings[1:]))
    letter = reservataire_letter(changed, name, OPTIONS,
                                 Addressee("12 rue Serpenoise\n57000 Metz", "Mme Anne Klein"))
    content = text_of(render_letter(letter))
    presented = [c for e in changed.dwellings for c in e.candidates if c.presented_by == name]
    assert len(presented) == 2
    for candidate in presented:
        assert format_nur(candidate.nur) in content
    for candidate in (c for e in changed.dwellings for c in e.candidates
                      if c not in presented):
        assert format_nur(candidate.nur) not in content  # own_pick too, though on its contingent
    assert "sur les 2 candidats que vous avez présentés." in content
    assert "À l'attention de Mme Anne Klein 12 rue Serpenoise 57000 Metz" in content
    assert "Justification" not in content  # deliberations stay in the PV


def test_session_letters_one_per_candidate_and_reservataire(data) -> None:
    letters = session_letters(data, OPTIONS)
    candidates = [c for e in data.dwellings for c in e.candidates]
    per_candidate = [x for x in letters if x.kind is not LetterKind.RESERVATAIRE]
    assert len(per_candidate) == len(candidates)
    notices = [x.recipient for x in letters if x.kind is LetterKind.RESERVATAIRE]
    assert "Vivest (contingent propre)" not in notices  # the landlord's own stock
    assert len(notices) == len(set(notices)) >= 2
    pdf = render_letters(letters)
    pages = pages_text(pdf)
    assert len(pages) == len(letters)  # each letter fits one page here
    assert all("page 1 / 1" in page for page in pages)


def test_the_letter_addresses_the_civility_recorded(data) -> None:
    """« Madame Élodie MARTIN » and « Madame, » from the civility recorded; not stated:
    the name alone and « Madame, Monsieur, » (never guessed from the first name)."""
    candidate = candidates_by_kind(data, DecisionKind.ATTRIBUTION_RANG)[0]
    exam, _ = data.find_candidate(candidate.nur)
    for civility, to, dear in (("Mme", "Madame Élodie MARTIN", "Madame,"),
                               ("M.", "Monsieur Élodie MARTIN", "Monsieur,"),
                               ("", "Élodie MARTIN", "Madame, Monsieur,")):
        who = replace(candidate, civility=civility, addressee="Élodie MARTIN")
        changed = replace(data, dwellings=(replace(exam, candidates=tuple(
            who if c.nur == who.nur else c for c in exam.candidates)),))
        letter = candidate_letter(changed, who.nur, OPTIONS)
        assert (letter.recipient, letter.values["destinataire"]) == (to, to)
        content = " ".join(text_of(render_letter(letter)).split())
        assert content.count(f" {to} ") >= 1 and f"{dear} La CALEOL" in content
        assert f"Nous vous prions d'agréer, {dear[:-1]}, l'expression" in content
    # a snapshot taken before civilities were recorded: its name, « Madame, Monsieur »
    old = replace(candidate, civility="", addressee="")
    assert recipient(old) == old.name


def test_every_shipped_template_fills_with_the_documented_fields(data) -> None:
    folder = paths.resources_dir() / "templates"
    readme = (folder / "LISEZMOI.md").read_text(encoding="utf-8")
    letters = session_letters(data, OPTIONS)
    exam = first_ranked_dwelling(data)
    first, second = exam.candidates[:2]
    refused = after(data, exam, {first.nur: (FollowUp("refusal", date(2026, 3, 12)),)},
                    holder=second.nur)
    letters.append(candidate_letter(refused, second.nur, OPTIONS, after_refusal=True))
    assert {x.kind for x in letters} == set(LetterKind)
    for letter in letters:
        subject, paragraphs = fill_template(load_template(letter.kind), letter.values,
                                            letter.kind.value)
        assert subject.startswith("Objet :")
        assert paragraphs and not any("$" in p for p in paragraphs if p != "$tableau")
        for key in letter.values:
            assert f"${key}" in readme, key
        assert f"`{letter.kind.value}.txt`" in readme


def test_a_user_copy_of_a_template_wins(data, caleol_home: Path) -> None:
    user = paths.config_dir() / "modeles"
    user.mkdir(parents=True)
    (user / "non-attribution.txt").write_text(
        "Objet : réponse à votre demande $nur\n\n$civilite,\n\nMotif retenu : $motif\n",
        encoding="utf-8")
    candidate = candidates_by_kind(data, DecisionKind.NON_ATTRIBUTION)[0]
    content = text_of(render_letter(candidate_letter(data, candidate.nur, OPTIONS)))
    assert f"Objet : réponse à votre demande {format_nur(candidate.nur)}" in content
    assert f"Motif retenu : {candidate.decision.reason}" in content


def test_template_errors_are_french(data, tmp_path: Path) -> None:
    (tmp_path / "offre.txt").write_text("Objet : x\n\nBonjour $inconnu\n", encoding="utf-8")
    candidate = candidates_by_kind(data, DecisionKind.ATTRIBUTION_RANG)[0]
    letter = candidate_letter(data, candidate.nur, OPTIONS)
    with pytest.raises(CaleolError, match=r"champ inconnu : \$inconnu"):
        render_letter(letter, folders=[tmp_path])
    (tmp_path / "offre.txt").write_text("Objet : x\n\nPrix 5 $ \n", encoding="utf-8")
    with pytest.raises(CaleolError, match="mal formé"):
        render_letter(letter, folders=[tmp_path])
    with pytest.raises(CaleolError, match="introuvable"):
        render_letter(letter, folders=[tmp_path / "vide"])
    with pytest.raises(CaleolError, match="Aucun candidat"):
        candidate_letter(data, "000", OPTIONS)
    undecided = replace(candidate, decision=None)
    exam = data.dwellings[0]
    bare = replace(data, dwellings=(replace(exam, candidates=(undecided,)),))
    with pytest.raises(CaleolError, match="aucune décision n'est enregistrée"):
        candidate_letter(bare, candidate.nur, OPTIONS)
    with pytest.raises(CaleolError, match="Aucun courrier"):
        render_letters([])


def test_irrecevabilite_without_reason_still_says_so(data) -> None:
    candidate = candidates_by_kind(data, DecisionKind.IRRECEVABILITE)[0]
    exam, _ = data.find_candidate(candidate.nur)
    blank = replace(candidate, decision=Decision(DecisionKind.IRRECEVABILITE))
    changed = replace(data, dwellings=(replace(exam, candidates=(blank,)),))
    content = text_of(render_letter(candidate_letter(changed, candidate.nur, OPTIONS)))
    assert "motif non précisé" in content


def test_the_answer_deadline_is_a_working_day(data) -> None:
    # Seen on a new base: letters of Thursday 3 December 2026 asked for an answer « au
    # plus tard le 13 décembre 2026 », a Sunday; 25 December is a public holiday.
    candidate = candidates_by_kind(data, DecisionKind.ATTRIBUTION_RANG)[0]

    def deadline(issued: date, days: int = 10) -> str:
        letter = candidate_letter(data, candidate.nur,
                                  replace(OPTIONS, issued_on=issued, answer_days=days))
        return letter.values["date_limite"]

    assert deadline(date(2026, 12, 3)) == "14 décembre 2026"  # Sunday → Monday
    assert deadline(date(2026, 12, 15)) == "28 décembre 2026"  # Friday 25 → Monday 28
    assert deadline(date(2026, 12, 4)) == "14 décembre 2026"  # a Monday stays
