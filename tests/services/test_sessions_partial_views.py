"""What the workspace refreshes after one change: one agenda item, or the attendance.

Both must equal the corresponding parts of the full `session_detail`, so a partial
refresh can never show something the full reload would not.
"""

from __future__ import annotations

import pytest
from sessions_factory import (
    SESSION_DATE,
    add_demande_row,
    add_dwelling_row,
    build_world,
    held,
)
from sqlalchemy import Engine

from caleol.errors import ValidationError
from caleol.services import sessions as svc


def test_agenda_item_state_equals_the_item_of_the_full_detail(engine: Engine) -> None:
    sitting = held(engine)
    svc.record_decision(engine, sitting.candidacies[0], "attribution",
                        justification="Dossier complet.")
    state = svc.agenda_item_state(engine, sitting.item_id)
    detail = svc.session_detail(engine, sitting.session_id)
    assert state.item == detail.agenda[0]
    assert state.summary == detail.summary
    assert state.summary.decisions == 1  # the counts follow the change


def test_agenda_item_state_follows_a_ready_seance_back_to_preparation(engine: Engine) -> None:
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    item_id = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    for _ in range(3):
        svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    svc.mark_ready(engine, session_id)
    assert svc.agenda_item_state(engine, item_id).summary.status == "ready"
    first = svc.agenda_item_state(engine, item_id).item.candidacies[0]
    svc.remove_candidate(engine, first.id)  # two candidates left: the gate fails
    state = svc.agenda_item_state(engine, item_id)
    assert state.summary.status == "draft"
    assert len(state.item.candidacies) == 2
    assert state.summary.candidacies == 2


def test_attendance_state_equals_the_attendance_of_the_full_detail(engine: Engine) -> None:
    sitting = held(engine)
    state = svc.attendance_state(engine, sitting.session_id)
    detail = svc.session_detail(engine, sitting.session_id)
    assert state.attendance == detail.attendance
    assert state.quorum == detail.quorum
    assert (state.president_member_id, state.president) == (
        detail.president_member_id, detail.president)
    assert state.president  # held() designates one


def test_an_unknown_agenda_item_is_a_french_error(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="introuvable"):
        svc.agenda_item_state(engine, 999)


def test_attendance_problems_are_keyed_by_member_for_the_form(engine: Engine) -> None:
    """The attendance form puts each problem under its member (`member_<id>`)."""
    sitting = held(engine)
    m = sitting.world.member_ids
    with pytest.raises(ValidationError) as caught:
        svc.record_attendance(engine, sitting.session_id, [
            svc.AttendanceChange(m[6], "represented", m[7]),  # m[7] is absent
            svc.AttendanceChange(m[8], "represented"),  # no proxy
        ])
    fields = caught.value.fields
    assert set(fields) == {f"member_{m[6]}", f"member_{m[8]}"}
    assert "doit être présent" in fields[f"member_{m[6]}"]
    assert "indiquez qui détient son pouvoir" in fields[f"member_{m[8]}"]
    assert caught.value.details == list(fields.values())  # the CLI still lists them all
