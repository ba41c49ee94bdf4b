"""The shipped territory reference and the conversion of the npm package."""

from __future__ import annotations

import gzip
import json

import pytest
from npm_fixture import npm_tarball

from caleol.errors import ValidationError
from caleol.rules.zones import PARIS_NEIGHBOURS
from caleol.services.territory.dataset import (
    departments_path,
    dump_compact,
    dump_departments,
    load_compact,
    shipped_dataset,
    shipped_departments,
    shipped_path,
)
from caleol.services.territory.etalab import read_npm_tarball


def test_shipped_dataset_states_its_source() -> None:
    info = shipped_dataset().info
    assert (info.name, info.version, info.date) == (
        "@etalab/decoupage-administratif", "6.0.0", "2026-03-09")
    assert "Licence Ouverte" in info.licence
    assert shipped_path().stat().st_size < 600_000  # compact: a few hundred KB


def test_shipped_dataset_covers_france() -> None:
    data = shipped_dataset()
    communes = [c for c in data.communes.values() if not c.parent]
    assert 34_800 < len(communes) < 35_100  # COG 2026: 34 875 communes (métropole + DROM)
    assert sum(1 for c in data.communes.values() if c.parent) == 45  # 20 + 9 + 16
    metz = data.commune("57463")
    assert metz is not None and metz.name == "Metz" and metz.postal_code == "57000"
    epci = data.epci_of(metz)
    assert epci is not None and (epci.siren, epci.name, epci.kind) == (
        "200039865", "Metz Métropole", "METRO")
    assert data.departments["57"] == "Moselle"
    # An arrondissement takes its commune's EPCI.
    fifteenth = data.commune("75115")
    assert fifteenth is not None and fifteenth.parent == "75056"
    assert data.epci_of(fifteenth) == data.epci_of(data.communes["75056"])
    # A former code of Metz (a commune merged into it) resolves to the current commune.
    assert data.commune("57094") == metz
    assert data.commune("98735") is None  # collectivités d'outre-mer left out


def test_the_limitrophes_names_match_the_official_geography() -> None:
    data = shipped_dataset()
    assert {code: data.communes[code].name for code in PARIS_NEIGHBOURS} == PARIS_NEIGHBOURS


def test_the_small_departement_list_is_the_shipped_references() -> None:
    """What the forms offer without decoding every commune: the same 101 départements,
    dated as the reference (tools/territory_resource.py writes both)."""
    shipped = shipped_dataset()
    small = shipped_departments()
    assert small.date == shipped.info.date
    assert small.departments == shipped.departments and len(small.departments) == 101
    assert departments_path().read_bytes() == dump_departments(shipped)
    assert departments_path().stat().st_size < 4_000


def test_compact_round_trip() -> None:
    data = shipped_dataset()
    assert load_compact(dump_compact(data)) == data


def test_npm_tarball_conversion() -> None:
    data = read_npm_tarball(npm_tarball())
    assert (data.info.version, data.info.date) == ("7.0.0", "2026-05-28")
    assert sorted(data.communes) == ["57463", "57480", "75056", "75101"]
    assert data.former_codes == {"57094": "57463"}
    assert data.communes["75101"].parent == "75056"
    assert sorted(data.departments) == ["57", "75"]


@pytest.mark.parametrize(("data", "message"), [
    (b"not gzip", "illisible"),
    (gzip.compress(b"{}"), "illisible"),
    (gzip.compress(json.dumps({"format": "caleol-territoire-1"}).encode()), "illisible"),
])
def test_bad_compact_files(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        load_compact(data)


def test_inconsistent_compact_file_lists_the_problems() -> None:
    document = json.loads(gzip.decompress(dump_compact(read_npm_tarball(npm_tarball()))))
    document["communes"].append(["57999", "Nulle part", "", "999999999", ""])
    with pytest.raises(ValidationError, match="incohérent") as caught:
        load_compact(gzip.compress(json.dumps(document).encode()))
    assert caught.value.details == ["commune 57999 : EPCI 999999999 absent du fichier."]


def test_wrong_package() -> None:
    with pytest.raises(ValidationError, match="n'est pas @etalab"):
        read_npm_tarball(npm_tarball(name="left-pad"))
    with pytest.raises(ValidationError, match="Archive illisible"):
        read_npm_tarball(b"\x1f\x8b garbage")
