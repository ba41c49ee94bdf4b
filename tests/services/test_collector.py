"""The PV is laid out with the garbage collector held back, and gives it back."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from caleol.services.collector import collector_held
from caleol.services.documents import minutes
from caleol.services.documents.samples import sample_minutes_data


def test_the_pv_is_laid_out_without_automatic_collections(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    render = minutes.render_minutes_pdf

    def spied(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return render(*args, **kwargs)

    monkeypatch.setattr(minutes, "render_minutes_pdf", spied)
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
