"""Holding a séance: attendance and quorum, president, decisions and their validation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from fractions import Fraction

import pytest
from sessions_factory import (
    SESSION_DATE,
    add_demande_row,
    add_dwelling_row,
    attend,
    build_world,
    held,
    prepare,
)
from sqlalchemy import Engine

from caleol.errors import ConcurrentModificationError, ValidationError
from caleol.fr import paris_today
from caleol.services import sessions as svc
from caleol.services.sessions.access import impossible
from caleol.services.sessions.quorum import (
    AttendanceRecord,
    compute_quorum,
    effective_fraction,
    parse_fraction,
)

# --- quorum, pure -----------------------------------------------------------------------

def _records(present: int, represented: int, absent: int) -> list[AttendanceRecord]:
    records = [AttendanceRecord(i, True, "present") for i in range(present)]
    records += [AttendanceRecord(100 + i, True, "represented", proxy_member_id=i)
                for i in range(represented)]
    records += [AttendanceRecord(200 + i, True, "absent") for i in range(absent)]
    return records


@pytest.mark.parametrize(
    ("present", "represented", "absent", "required", "reached"),
    [
        (4, 0, 4, 4, True),  # 8 members: half = 4
        (4, 0, 5, 5, False),  # 9 members: 4,5 rounded up = 5
        (4, 1, 4, 5, True),  # a member represented by a present one counts
        (0, 0, 0, 0, False),  # no deliberative member: never a quorum
    ],
)
def test_quorum_at_least_half_rounded_up(
    present: int, represented: int, absent: int, required: int, reached: bool
) -> None:
    quorum = compute_quorum(_records(present, represented, absent), Fraction(1, 2))
    assert (quorum.required, quorum.reached) == (required, reached)
    assert quorum.counted == present + represented


def test_represented_member_counts_only_if_the_proxy_holder_is_present() -> None:
    records = [AttendanceRecord(1, True, "absent"),
               AttendanceRecord(2, True, "represented", proxy_member_id=1),
               AttendanceRecord(3, True, "present"),
               AttendanceRecord(4, False, "present")]  # consultative: never counted
    quorum = compute_quorum(records, Fraction(1, 2))
    assert (quorum.deliberative_members, quorum.counted, quorum.required) == (3, 1, 2)


def test_the_stricter_fraction_applies() -> None:
    assert effective_fraction(1, 2, "2/3") == Fraction(2, 3)
    assert effective_fraction(2, 3, "1/2") == Fraction(2, 3)
    assert effective_fraction(1, 2, "n'importe quoi") == Fraction(1, 2)
    assert compute_quorum(_records(5, 0, 4), Fraction(2, 3)).required == 6  # 9 × 2/3
    with pytest.raises(ValidationError):
        parse_fraction("3/2")


# --- attendance and president ------------------------------------------------------------

def test_session_without_quorum_cannot_record_decisions(engine: Engine) -> None:
    sitting = prepare(engine)
    quorum = attend(engine, sitting, 4)  # 4 of 9 deliberative, 5 required
    assert not quorum.reached
    with pytest.raises(ValidationError, match="quorum n'est pas atteint") as caught:
        svc.record_decision(engine, sitting.candidacies[0], "attribution")
    assert "4 présents" in str(caught.value)
    assert svc.session_detail(engine, sitting.session_id).agenda[0].candidacies[0].decision is None


def test_proxy_given_to_a_present_member_reaches_the_quorum(engine: Engine) -> None:
    sitting = prepare(engine)
    members = sitting.world.member_ids
    attend(engine, sitting, 4)
    quorum = svc.record_attendance(
        engine, sitting.session_id, [svc.AttendanceChange(members[4], "represented", members[0])]
    )
    assert (quorum.present, quorum.represented, quorum.reached) == (4, 1, True)
    svc.record_decision(engine, sitting.candidacies[0], "attribution")


def test_inconsistent_attendance_is_refused_with_every_problem(engine: Engine) -> None:
    sitting = prepare(engine)
    m = sitting.world.member_ids
    with pytest.raises(ValidationError) as caught:
        svc.record_attendance(engine, sitting.session_id, [
            svc.AttendanceChange(m[0], "represented", m[1]),  # m[1] is absent
            svc.AttendanceChange(m[2], "represented"),  # no proxy
            svc.AttendanceChange(m[3], "present", m[4]),  # proxy without representation
        ])
    assert len(caught.value.details) == 3
    attend(engine, sitting, 1)
    with pytest.raises(ValidationError, match="un seul pouvoir"):
        svc.record_attendance(engine, sitting.session_id, [
            svc.AttendanceChange(m[5], "represented", m[0]),
            svc.AttendanceChange(m[6], "represented", m[0]),
        ])


def test_president_must_be_a_present_deliberative_member(engine: Engine) -> None:
    sitting = prepare(engine)
    with pytest.raises(ValidationError, match="présent"):
        svc.set_president(engine, sitting.session_id, sitting.world.president_id)
    attend(engine, sitting, 10)
    with pytest.raises(ValidationError, match="consultative"):
        svc.set_president(engine, sitting.session_id, sitting.world.member_ids[9])
    svc.set_president(engine, sitting.session_id, sitting.world.president_id)
    assert svc.session_detail(engine, sitting.session_id).president == "Administrateur 1"


def test_decisions_need_a_held_session(engine: Engine) -> None:
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    item_id = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    candidacy = svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    with pytest.raises(ValidationError, match="en cours"):
        svc.record_decision(engine, candidacy, "attribution")
    with pytest.raises(ValidationError, match="prête"):
        svc.start_session(engine, session_id)


# --- decisions ----------------------------------------------------------------------------

def test_each_decision_is_checked_by_the_rules(engine: Engine) -> None:
    sitting = held(engine)
    first, second, third = sitting.candidacies
    with pytest.raises(ValidationError, match="motif est obligatoire"):
        svc.record_decision(engine, second, "non_attribution")
    with pytest.raises(ValidationError) as caught:
        svc.record_decision(engine, first, "attribution_sous_condition")
    assert any("condition" in d for d in caught.value.details)
    assert any("date limite" in d for d in caught.value.details)
    with pytest.raises(ValidationError, match="rang est obligatoire"):
        svc.record_decision(engine, first, "attribution_rang")
    with pytest.raises(ValidationError, match="Décision inconnue"):
        svc.record_decision(engine, first, "tirage_au_sort")
    with pytest.raises(ValidationError, match="motif d'irrecevabilité"):
        svc.record_decision(engine, third, "non_attribution",
                            reason_id=sitting.world.reasons["plafond"])
    outcome = svc.record_decision(
        engine, first, "attribution_sous_condition", condition="avis d'imposition 2025",
        deadline=date(2026, 3, 31),
    )
    assert outcome.decision.kind_label == "Attribution sous condition suspensive"


def test_set_level_problems_are_warnings_until_closing(engine: Engine) -> None:
    sitting = held(engine)
    outcome = svc.record_decision(engine, sitting.candidacies[1], "attribution_rang", rank=2,
                                  unanimous=True)
    assert outcome.warnings == ("À régulariser avant la clôture : Rangs manquants : 1 (les rangs "
                                "vont de 1 à n sans trou).",)
    outcome = svc.record_decision(engine, sitting.candidacies[0], "attribution_rang", rank=1,
                                  unanimous=True)
    assert outcome.warnings == ()


def test_unlawful_reason_alone_is_a_warning_at_the_save(engine: Engine) -> None:
    # the closing refuses it (test_sessions_closing.py::test_close_refuses_a_refusal_
    # resting_on_a_reason_that_cannot_stand_alone)
    sitting = held(engine)
    reasons = sitting.world.reasons
    outcome = svc.record_decision(engine, sitting.candidacies[1], "non_attribution",
                                  reason_id=reasons["ressources"], unanimous=True)
    assert outcome.decision.reason_label == "Ressources insuffisantes"
    # one warning, once (the catalogue flag and the wording are the same ground)
    assert len(outcome.warnings) == 1 and "ne peut pas motiver seul" in outcome.warnings[0]
    outcome = svc.record_decision(
        engine, sitting.candidacies[1], "non_attribution", reason_id=reasons["ressources"],
        reason_text="taux d'effort de 48 % sans garantie Visale ni FSL possible, après étude "
                    "du dossier", unanimous=True,
    )
    assert outcome.warnings == ()
    # a second, lawful reason from the catalogue: the warning goes, the PV states both
    outcome = svc.record_decision(engine, sitting.candidacies[1], "non_attribution",
                                  reason_id=reasons["ressources"],
                                  second_reason_id=reasons["mieux_classe"], unanimous=True)
    assert outcome.warnings == ()
    assert outcome.decision.reason == ("Ressources insuffisantes ; Un candidat mieux classé a "
                                       "été retenu")
    with pytest.raises(ValidationError) as caught:
        svc.record_decision(engine, sitting.candidacies[1], "non_attribution",
                            reason_id=reasons["ressources"], second_reason_id=reasons["plafond"])
    assert "motif d'irrecevabilité" in caught.value.fields["second_reason"]
    with pytest.raises(ValidationError, match="différer du motif principal"):
        svc.record_decision(engine, sitting.candidacies[1], "non_attribution",
                            reason_id=reasons["ressources"], second_reason_id=reasons["ressources"])


def test_attribution_against_a_failed_check_needs_a_justification(engine: Engine) -> None:
    sitting = held(engine, resources_cents=(120_000,))  # TE = 590 / 1 200 = 49 % > 35 %
    candidacy = sitting.candidacies[0]
    with pytest.raises(ValidationError, match=r"Contrôle non conforme \(solvabilité\)"):
        svc.record_decision(engine, candidacy, "attribution")
    outcome = svc.record_decision(
        engine, candidacy, "attribution",
        justification="Garantie Visale accordée et APL de 250 € attendue.",
    )
    assert outcome.decision.justification.startswith("Garantie Visale")


def test_votes_and_the_casting_vote(engine: Engine) -> None:
    sitting = held(engine)
    candidacy = sitting.candidacies[0]
    with pytest.raises(ValidationError, match="pas adoptée"):
        svc.record_decision(engine, candidacy, "attribution", votes=(1, 3, 1))
    with pytest.raises(ValidationError, match="Partage des voix"):
        svc.record_decision(engine, candidacy, "attribution", votes=(2, 2, 1))
    with pytest.raises(ValidationError, match="aucun membre détenant la voix prépondérante"):
        svc.record_decision(engine, candidacy, "attribution", votes=(2, 2, 1),
                          casting_vote_used=True)  # the EPCI president is absent
    with pytest.raises(ValidationError, match="votes exprimés pour 5"):
        svc.record_decision(engine, candidacy, "attribution", votes=(6, 0, 0))
    attend(engine, sitting, 9)  # the EPCI president (casting vote) arrives
    outcome = svc.record_decision(engine, candidacy, "attribution", votes=(4, 4, 1),
                                casting_vote_used=True)
    assert (outcome.decision.votes_for, outcome.decision.casting_vote_used) == (4, True)
    assert outcome.decision.casting_vote_holder == "Président de l'EPCI"
    assert outcome.decision.casting_vote_member_id == sitting.world.casting_id
    assert outcome.decision.vote_sentence == (
        "Partage des voix (4 pour, 4 contre, 1 abstention) : adoptée par la voix prépondérante "
        "de Président de l'EPCI.")
    stored = svc.session_detail(engine, sitting.session_id).agenda[0].candidacies[0].decision
    assert stored is not None and stored.casting_vote_holder == "Président de l'EPCI"
    with pytest.raises(ValidationError, match="partage des voix"):
        svc.record_decision(engine, candidacy, "attribution", votes=(5, 1, 0),
                          casting_vote_used=True)


def test_a_decision_is_replaced_or_cleared_while_held(engine: Engine) -> None:
    sitting = held(engine)
    candidacy = sitting.candidacies[0]
    svc.record_decision(engine, candidacy, "attribution")
    svc.record_decision(engine, candidacy, "non_attribution",
                      reason_id=sitting.world.reasons["mieux_classe"])
    view = svc.session_detail(engine, sitting.session_id).agenda[0].candidacies[0]
    assert view.decision is not None and view.decision.kind == "non_attribution"
    with pytest.raises(ConcurrentModificationError, match="modifié par ailleurs"):
        svc.record_decision(engine, candidacy, "attribution",
                            expected_version=view.decision.version - 1)
    svc.record_decision(engine, candidacy, "attribution", expected_version=view.decision.version)
    svc.clear_decision(engine, candidacy)
    assert svc.session_detail(engine, sitting.session_id).agenda[0].candidacies[0].decision is None


def test_occupation_review_with_the_commission_opinion(engine: Engine) -> None:
    sitting = held(engine)
    review_id = svc.record_occupation_review(
        engine, sitting.session_id, "sous_occupation", tenant_name="M. Weber",
        opinion="Avis favorable à une proposition de T2.",
    )
    svc.record_occupation_review(engine, sitting.session_id, "sous_occupation",
                               tenant_name="M. Weber", opinion="Avis réservé.",
                               review_id=review_id)
    reviews = svc.session_detail(engine, sitting.session_id).occupation_reviews
    assert [(r.motive_label, r.opinion) for r in reviews] == [("sous-occupation", "Avis réservé.")]
    with pytest.raises(ValidationError, match="Motif d'examen inconnu"):
        svc.record_occupation_review(engine, sitting.session_id, "bruit")


def test_unanimity_is_recorded_with_the_members_counted(engine: Engine) -> None:
    sitting = held(engine)  # 5 deliberative members present
    outcome = svc.record_decision(engine, sitting.candidacies[0], "attribution", unanimous=True)
    decision = outcome.decision
    assert (decision.unanimous, decision.votes_for, decision.votes_against,
            decision.votes_abstain) == (True, 5, 0, 0)
    assert decision.vote_sentence == (
        "À l'unanimité des membres présents ou représentés (5 voix).")
    with pytest.raises(ValidationError, match="pas avec un vote à l'unanimité"):
        svc.record_decision(engine, sitting.candidacies[0], "attribution", unanimous=True,
                            casting_vote_used=True)


def test_a_refused_decision_names_each_field_and_writes_nothing(engine: Engine) -> None:
    sitting = held(engine)  # 9 deliberative members, 5 present
    with pytest.raises(ValidationError) as caught:
        svc.record_decision(engine, sitting.candidacies[0], "attribution_rang",
                            votes=(12, 0, 0))
    assert caught.value.fields == {
        "rank": "Le rang est obligatoire.",
        "votes": "12 votes exprimés pour 5 membres à voix délibérative présents ou "
                 "représentés.",
    }
    assert caught.value.details == list(caught.value.fields.values())
    assert svc.session_detail(engine, sitting.session_id).agenda[0].candidacies[0].decision is None


def test_attribution_with_an_unknown_ceiling_needs_a_justification(engine: Engine) -> None:
    # PLAI 2026: no table after 2022 is shipped, the ceiling check is « indéterminé »
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    item = svc.add_dwelling(engine, session_id,
                            add_dwelling_row(engine, world, financing="PLAI"))
    ids = [svc.add_candidate(engine, item, add_demande_row(engine, world)) for _ in range(3)]
    svc.mark_ready(engine, session_id)
    svc.start_session(engine, session_id)
    svc.record_attendance(engine, session_id,
                          [svc.AttendanceChange(m, "present") for m in world.member_ids[:5]])
    checks = svc.session_detail(engine, session_id).agenda[0].candidacies[0].checks
    assert checks["ceiling"]["status"] == "unknown"
    with pytest.raises(ValidationError) as caught:
        svc.record_decision(engine, ids[0], "attribution", unanimous=True)
    assert caught.value.fields == {"justification": (
        "Contrôle indéterminé (plafond de ressources) ; une justification est requise.")}
    outcome = svc.record_decision(
        engine, ids[0], "attribution", unanimous=True,
        justification="Plafond PLAI 2026 vérifié sur l'arrêté : 20 000 € ≤ 24 957 €.")
    assert [c.sentence for c in outcome.decision.justified_checks] == [
        "plafond de ressources : indéterminé"]


def test_a_ceiling_reason_the_passing_ceiling_check_contradicts(engine: Engine) -> None:
    # revenu fiscal 20 000 € ≤ 37 584 € (PLUS 2026, category 3): the ceiling check passes
    sitting = held(engine)
    plafond = sitting.world.reasons["plafond"]
    with pytest.raises(ValidationError) as caught:
        svc.record_decision(engine, sitting.candidacies[2], "irrecevabilite", reason_id=plafond,
                            unanimous=True)
    assert "est contredit par le contrôle « plafond de ressources » (conforme)" in (
        caught.value.fields["justification"])
    outcome = svc.record_decision(engine, sitting.candidacies[2], "irrecevabilite",
                                  reason_id=plafond, unanimous=True,
                                  justification="Revenus 2025 de 48 000 € déclarés en séance.")
    assert [c.sentence for c in outcome.decision.justified_checks] == [
        "motif « Ressources supérieures au plafond » contredit par le contrôle « plafond de "
        "ressources » (conforme)"]


def test_a_seance_opens_on_or_after_its_day(engine: Engine) -> None:
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    item = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    for _ in range(3):
        svc.add_candidate(engine, item, add_demande_row(engine, world))
    svc.mark_ready(engine, session_id)
    with pytest.raises(ValidationError) as caught:
        svc.start_session(engine, session_id, now=datetime(2026, 3, 9, 17, 0))
    assert str(caught.value) == ("La séance du 10 mars 2026 ne peut pas être ouverte avant son "
                                 "jour (nous sommes le 9 mars 2026).")
    assert svc.session_detail(engine, session_id).status == "ready"
    svc.start_session(engine, session_id, now=datetime(2026, 3, 10, 14, 3, 20))
    detail = svc.session_detail(engine, session_id)
    assert (detail.status, detail.start_time) == ("held", time(14, 3))


def test_an_opened_seance_cannot_be_moved_to_a_day_to_come(engine: Engine) -> None:
    sitting = held(engine)  # 10 March 2026, opened
    tomorrow = paris_today() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        svc.update_session_info(engine, sitting.session_id, on=tomorrow)
    assert "est ouverte : elle ne peut pas être datée du" in caught.value.fields["on"]
    assert svc.session_detail(engine, sitting.session_id).summary.date == SESSION_DATE
    svc.update_session_info(engine, sitting.session_id, on=date(2026, 3, 11))  # a past day
    assert svc.session_detail(engine, sitting.session_id).summary.date == date(2026, 3, 11)


def test_a_refused_action_is_said_with_the_elision(engine: Engine) -> None:
    # Seen in the audit: « Impossible de ouvrir la séance : … est « en préparation » ».
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    with pytest.raises(ValidationError, match=r"^Impossible d'ouvrir la séance : la séance "
                                              r"n° \d+ du 10 mars 2026 est « en préparation »"):
        svc.start_session(engine, session_id, now=datetime(2026, 3, 10, 14, 0))
    with pytest.raises(ValidationError, match=r"^Impossible d'ajouter un rectificatif : "):
        svc.add_rectification(engine, session_id, "Point : correction")
    assert impossible("changer le rang proposé") == "Impossible de changer le rang proposé"
    assert impossible("enregistrer une décision") == "Impossible d'enregistrer une décision"


def test_who_cannot_preside_is_told_without_a_gender_guessed(engine: Engine) -> None:
    # « doit être enregistré(e) présent(e) », « il ne peut pas présider » (for a Mme).
    sitting = prepare(engine)
    with pytest.raises(ValidationError) as absent:
        svc.set_president(engine, sitting.session_id, sitting.world.president_id)
    assert str(absent.value) == ("Administrateur 1 : présence non enregistrée ; seul un "
                                 "membre présent peut présider la séance.")
    attend(engine, sitting, 10)
    with pytest.raises(ValidationError) as consultative:
        svc.set_president(engine, sitting.session_id, sitting.world.member_ids[9])
    assert "(e)" not in str(consultative.value) and " il " not in str(consultative.value)
    assert str(consultative.value).endswith("seul un membre à voix délibérative peut "
                                            "présider la séance.")
