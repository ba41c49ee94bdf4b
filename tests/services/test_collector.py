"""The PV is laid out with the garbage collector held back, and gives it back."""

from __future__ import annotations

import gc

import pytest

from caleol.services.collector import collector_held
from caleol.services.documents import minutes
from caleol.services.documents.samples import sample_minutes_data
from tests.services.collector_spy import collector_states


def test_the_pv_is_laid_out_without_automatic_collections(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen = collector_states(monkeypatch, minutes, "render_minutes_pdf")
    assert gc.isenabled()
    pdf = minutes.render_minutes(sample_minutes_data(2, 3))
    assert pdf.startswith(b"%PDF") and seen == [False]
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error_and_not_inside_a_nested_hold() -> None:
    with pytest.raises(RuntimeError), collector_held():
        assert not gc.isenabled()
        raise RuntimeError("mise en page interrompue")
    assert gc.isenabled()
    with collector_held():
        with collector_held():
            pass
        assert not gc.isenabled()  # the inner hold found it held: left alone
    assert gc.isenabled()
