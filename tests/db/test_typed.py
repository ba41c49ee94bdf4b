"""The typed views of a model's class attributes (caleol.db.typed)."""

from __future__ import annotations

import pytest
from sqlmodel import SQLModel

from caleol.db.models import Demande, HouseholdMember
from caleol.db.typed import rel, stored_id, table_of


def test_rel_returns_the_relationship_attribute_itself() -> None:
    attribute = rel(Demande.members)
    assert attribute is Demande.members
    assert attribute.property.mapper.class_ is HouseholdMember


def test_rel_refuses_what_is_not_a_mapped_attribute() -> None:
    with pytest.raises(TypeError, match="not a mapped attribute"):
        rel([])


def test_table_of_a_model_is_its_table() -> None:
    assert table_of(Demande).name == "demande"
    assert table_of(Demande) is SQLModel.metadata.tables["demande"]


def test_table_of_a_model_without_table_is_refused() -> None:
    class Plain(SQLModel):
        name: str = ""

    with pytest.raises(TypeError, match="Plain is not mapped"):
        table_of(Plain)


def test_stored_id_is_the_id_once_flushed() -> None:
    assert stored_id(Demande(id=7, nur="X")) == 7
    with pytest.raises(ValueError, match="Demande not flushed yet"):
        stored_id(Demande(nur="X"))
