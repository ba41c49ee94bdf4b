"""Dwellings of the demo: every typology and financing, plausible rents, charges, energy."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from caleol.db.models.enums import DwellingStatus
from caleol.rules.ceilings import Financing
from caleol.rules.typology import Typology
from caleol.services.demo.territory import PlaceInfo, Territory, read_lines

TYPOLOGY_WEIGHTS = {
    Typology.T1: 7, Typology.T2: 24, Typology.T3: 35, Typology.T4: 23, Typology.T5: 8,
    Typology.T6: 2, Typology.T7: 1,
}
SURFACE_M2 = {  # mean, spread
    Typology.T1: (31, 5), Typology.T2: (48, 6), Typology.T3: (66, 7), Typology.T4: (80, 8),
    Typology.T5: (95, 9), Typology.T6: (109, 9), Typology.T7: (124, 10),
}
FINANCING_WEIGHTS = {
    Financing.PLUS: 58, Financing.PLAI: 18, Financing.PLAI_ADAPTE: 3, Financing.PLS: 11,
    Financing.PLI: 6, Financing.LLI: 4,
}
RENT_PER_M2 = {  # euros per m² per month (loyer plafond order of magnitude, zone 3)
    Financing.PLAI: Decimal("5.10"), Financing.PLAI_ADAPTE: Decimal("4.80"),
    Financing.PLUS: Decimal("5.75"), Financing.PLS: Decimal("8.40"),
    Financing.PLI: Decimal("10.20"), Financing.LLI: Decimal("10.60"),
}
AGENCY_PREFIX = {
    "METZ": "MET", "WOIPPY": "WOI", "THIONVILLE": "THI", "FORBACH": "FOR",
    "SAINT-AVOLD": "STA", "NANCY": "NAN",
}
AGENCY_SHARE = {
    "METZ": 24, "WOIPPY": 12, "THIONVILLE": 17, "FORBACH": 15, "SAINT-AVOLD": 12, "NANCY": 20,
}


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


METZ_METROPOLE = "200039865"
GRAND_NANCY = "245400676"


def community_reservataire(place: PlaceInfo, territory: Territory) -> str | None:
    """The collectivité holding rights where the dwelling is (None: none in the demo)."""
    if place.epci_id == territory.epci_ids[GRAND_NANCY]:
        return "GRAND-NANCY"
    if place.epci_id == territory.epci_ids[METZ_METROPOLE]:
        return "METZ-METROPOLE"
    if place.name == "Thionville":
        return "VILLE-THIONVILLE"
    return "CD57" if place.department == "57" else None


def reservataire_for(rng: random.Random, place: PlaceInfo, territory: Territory) -> str:
    roll = rng.random()
    if roll < 0.25:
        return f"ETAT-{place.department}-PRIO"
    if roll < 0.30:
        return "ETAT-AGENTS"
    if roll < 0.58:
        return "ALS"
    if roll < 0.72:
        return community_reservataire(place, territory) or "VIVEST"
    return "VIVEST"


def dwelling_rows(
    rng: random.Random, territory: Territory, count: int, today: date, vacant_share: float,
    reservataire_ids: dict[str, int],
) -> Iterator[dict[str, Any]]:
    """`count` dwelling rows spread over the agencies; the first ones of each agency vacant."""
    streets = read_lines("rues.txt")
    residences = read_lines("residences.txt")
    agencies = list(AGENCY_SHARE)
    numbers = dict.fromkeys(agencies, 0)
    places_by_agency = {code: territory.places_of(code) for code in agencies}
    for index in range(count):
        agency = agencies[index % len(agencies)] if index < len(agencies) * 40 else pick(
            rng, AGENCY_SHARE
        )
        numbers[agency] += 1
        number = numbers[agency]
        places = places_by_agency[agency]
        # the agency's main town gets half of its stock
        place = places[0] if rng.random() < 0.45 else rng.choice(places)
        typology = pick(rng, TYPOLOGY_WEIGHTS)
        financing = pick(rng, FINANCING_WEIGHTS)
        mean, spread = SURFACE_M2[typology]
        surface = Decimal(max(18, round(rng.gauss(mean, spread), 1))).quantize(Decimal("0.01"))
        built = rng.choice((1958, 1965, 1972, 1978, 1985, 1994, 2003, 2011, 2018, 2023))
        if financing in (Financing.PLI, Financing.LLI):
            built = max(built, 2011)
        rent = surface * RENT_PER_M2[financing] * Decimal(rng.uniform(0.9, 1.1))
        lift = built >= 1990 or rng.random() < 0.3
        floor = rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 5, 7)) if lift else rng.choice((0, 1, 2, 3))
        charges = surface * Decimal("1.35") + (Decimal(18) if lift else Decimal(0))
        energy_rate = Decimal("1.55") if built < 1975 else Decimal("1.15") if built < 2005 else (
            Decimal("0.70")
        )
        energy = surface * energy_rate
        if place.qpv and rng.random() < 0.6:
            qpv_code, _ = rng.choice(place.qpv)
            qpv: bool | None = True
        else:
            qpv_code = None
            qpv = None if rng.random() < 0.03 else False
        vacant = rng.random() < vacant_share
        first_letting = built == 2023 and rng.random() < 0.5
        yield {
            "reference": f"{AGENCY_PREFIX[agency]}-{number:05d}",
            "rpls_id": f"{place.insee}{index + 1:07d}",
            "programme": rng.choice(residences),
            "address": f"{rng.randint(1, 120)} {rng.choice(streets)}",
            "commune_id": place.commune_id,
            "agency_id": territory.agency_ids[agency],
            "qpv": qpv,
            "qpv_code": qpv_code,
            "urban_renewal": bool(qpv) and rng.random() < 0.3,
            "typology": typology.value,
            "surface_dm2": int(surface * 100),
            "floor": floor,
            "lift": lift,
            "pmr": rng.random() < (0.25 if built >= 2011 else 0.04),
            "financing": financing.value,
            "rent_cents": cents(rent),
            "charges_cents": cents(charges),
            "energy_cents": cents(energy),
            "annex_rent_cents": rng.choice((0, 0, 0, 2500, 3500)),
            "availability_date": today + timedelta(days=rng.randint(-20, 45)) if vacant else None,
            "reservataire_id": reservataire_ids[reservataire_for(rng, place, territory)],
            "first_letting": first_letting,
            "construction_year": built,
            "status": (DwellingStatus.VACANT if vacant else DwellingStatus.LET).value,
        }
