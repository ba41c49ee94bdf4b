"""French messages of the expected failures."""

from __future__ import annotations

import pytest

from caleol.errors import ConcurrentModificationError

TAIL = "enregistrement modifié par ailleurs entre-temps ; rechargez avant d'enregistrer."


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        # feminine, masculine, plural: no word agrees with `what` (the old text said
        # « La séance a été modifié par ailleurs »)
        ("La séance", f"La séance : {TAIL}"),
        ("le logement n° 12", f"Le logement n° 12 : {TAIL}"),
        ("Les présences", f"Les présences : {TAIL}"),
        (None, "E" + TAIL[1:]),
    ],
)
def test_concurrent_modification_needs_no_agreement(what: str | None, expected: str) -> None:
    assert ConcurrentModificationError(what).message == expected
