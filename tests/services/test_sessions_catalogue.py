"""What the séance screens choose from, and changing the members convened."""

from __future__ import annotations

import pytest
from sessions_factory import SESSION_DATE, World, build_world, prepare
from sqlalchemy import Engine

from caleol.db.engine import session_scope
from caleol.db.models import CommissionMember
from caleol.errors import ConcurrentModificationError, ValidationError
from caleol.services import sessions as svc


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


def test_commission_choices_list_active_members_only(engine: Engine, world: World) -> None:
    with session_scope(engine) as db:
        gone = db.get(CommissionMember, world.member_ids[0])
        gone.active = False
        db.add(gone)
    choice = next(c for c in svc.commission_choices(engine) if c.id == world.commission_id)
    assert [m.id for m in choice.members] == world.member_ids[1:]
    assert choice.members[-1].deliberative is False  # the factory's consultative member


def test_active_reasons_come_from_the_reference_catalogue(engine: Engine, world: World) -> None:
    reasons = svc.active_reasons(engine)
    assert {r.code: r.id for r in reasons} == world.reasons
    assert [(r.position, r.code) for r in reasons] == sorted((r.position, r.code)
                                                               for r in reasons)


def test_reservataire_choices(engine: Engine, world: World) -> None:
    ids = {r.id for r in svc.reservataire_choices(engine)}
    assert {world.action_logement_id, world.prefecture_id} <= ids


def test_convened_members_change_before_the_session_opens(engine: Engine, world: World
                                                          ) -> None:
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE,
                                    member_ids=world.member_ids[:3])
    before = svc.session_detail(engine, session_id)
    kept = [world.member_ids[1], world.member_ids[3]]
    svc.update_session_info(engine, session_id, member_ids=kept,
                            expected_version=before.summary.version)
    after = svc.session_detail(engine, session_id)
    assert [a.member_id for a in after.attendance] == kept
    assert all(a.status == "absent" for a in after.attendance)  # a new one starts absent
    assert after.summary.version == before.summary.version + 1
    # The form read before that save is now stale: refused, nothing changed.
    with pytest.raises(ConcurrentModificationError):
        svc.update_session_info(engine, session_id, member_ids=world.member_ids,
                                expected_version=before.summary.version)
    with pytest.raises(ValidationError, match="au moins un membre"):
        svc.update_session_info(engine, session_id, member_ids=[])
    assert [a.member_id for a in svc.session_detail(engine, session_id).attendance] == kept


def test_convened_members_are_fixed_once_the_session_is_held(engine: Engine) -> None:
    sitting = prepare(engine)
    with pytest.raises(ValidationError, match="membres convoqués ne changent plus"):
        svc.update_session_info(engine, sitting.session_id,
                                member_ids=sitting.world.member_ids[:2])
