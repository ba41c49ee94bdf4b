"""The séance detail reads its agenda as plain rows (`agenda_rows`, issue 19): each item
must read exactly as the stored one, relationships loaded one by one, reads."""

from __future__ import annotations

from datetime import date

from sessions_factory import CLOSING, Sitting, attend, held
from sqlalchemy import Engine
from sqlmodel import col, select

from caleol.db.engine import session_scope
from caleol.db.models import AgendaItem, Candidacy, Reservataire
from caleol.services import sessions as svc
from caleol.services.sessions.agenda_rows import agenda_rows
from caleol.services.sessions.records import AgendaItemView
from caleol.services.sessions.views import agenda_item_view


def both_views(engine: Engine, item_id: int) -> tuple[AgendaItemView, AgendaItemView]:
    """The item from the plain rows, and from the stored one (lazy loads)."""
    with session_scope(engine) as db:
        reservataires = {r.id: r for r in db.exec(select(Reservataire)).all()
                         if r.id is not None}
        rows = agenda_rows(db, col(AgendaItem.id) == item_id)
        stored = db.get(AgendaItem, item_id)
        assert stored is not None and len(rows) == 1
        return agenda_item_view(rows[0], reservataires), agenda_item_view(stored, reservataires)


def decided(engine: Engine) -> Sitting:
    """Three candidates: ranked first, refused on two reasons, third by the casting vote."""
    sitting = held(engine)
    attend(engine, sitting, 9)  # the EPCI president, who holds the casting vote, too
    reasons = sitting.world.reasons
    first, second, third = sitting.candidacies
    svc.record_decision(engine, first, "attribution_rang", rank=1, unanimous=True)
    svc.record_decision(engine, second, "non_attribution", reason_id=reasons["ressources"],
                        second_reason_id=reasons["mieux_classe"], unanimous=True)
    svc.record_decision(engine, third, "attribution_rang", rank=2, votes=(2, 2, 1),
                        casting_vote_used=True, justification="Dossier complet.")
    return sitting


def test_decisions_reasons_and_the_casting_vote_read_as_stored(engine: Engine) -> None:
    sitting = decided(engine)
    plain, stored = both_views(engine, sitting.item_id)
    assert plain == stored
    refused = next(c for c in plain.candidacies if c.id == sitting.candidacies[1])
    assert refused.decision is not None
    assert refused.decision.second_reason_label  # the second reason was looked up
    assert [c.id for c in plain.candidacies] == sitting.candidacies  # by rank


def test_events_after_the_closing_read_as_stored(engine: Engine) -> None:
    """A refusal passes the dwelling to the next one ranked: events, the possible
    ones and the holder read as stored."""
    sitting = held(engine)
    first, second, third = sitting.candidacies
    for rank, candidacy in enumerate((first, third), start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", rank=rank, unanimous=True)
    svc.record_decision(engine, second, "non_attribution",
                        reason_id=sitting.world.reasons["mieux_classe"], unanimous=True)
    svc.close_session(engine, sitting.session_id, **CLOSING)
    svc.record_refusal(engine, first, date(2026, 3, 20), "Trop loin du travail")
    plain, stored = both_views(engine, sitting.item_id)
    assert plain == stored
    assert plain.offer_holder_id == third
    refused = next(c for c in plain.candidacies if c.id == first)
    assert [e.kind for e in refused.events] == ["refusal"]
    assert refused.events[0].passes_to_nur  # the candidate it passed to, named


def test_a_candidacy_and_a_dwelling_without_snapshot_fall_back_as_stored(
        engine: Engine) -> None:
    sitting = held(engine)
    with session_scope(engine) as db:  # as an older base may hold them
        candidacy = db.get(Candidacy, sitting.candidacies[0])
        item = db.get(AgendaItem, sitting.item_id)
        assert candidacy is not None and item is not None
        candidacy.household_summary = candidacy.checks_snapshot = None
        item.dwelling_snapshot = {"reference": ""}
        db.add_all([candidacy, item])
    plain, stored = both_views(engine, sitting.item_id)
    assert plain == stored
    bare = next(c for c in plain.candidacies if c.id == sitting.candidacies[0])
    assert bare.nur and bare.name  # from the demande
    assert plain.reference and plain.typology  # from the dwelling


def test_the_detail_and_one_item_agree(engine: Engine) -> None:
    sitting = decided(engine)
    detail = svc.session_detail(engine, sitting.session_id)
    assert svc.agenda_item_state(engine, sitting.item_id).item == detail.agenda[0]
    assert detail.summary.decisions == 3
