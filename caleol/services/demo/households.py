"""Demandes of the demo: varied households, resources, priorities, wishes, well-formed NUR.

Every draft is plain data (column dicts) so the same generator feeds the small demo
(kept in memory, some drafts become candidates of the sessions) and the large one
(streamed in chunks). Names are drawn from lists of common first names and surnames:
the combinations are fictitious.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from caleol.db.models.enums import DemandeStatus, MutationMotive, ResourceKind
from caleol.rules.household import Household, Member, Role
from caleol.rules.typology import allowed_typologies
from caleol.services.bulk import AuditedInserter
from caleol.services.demo.stock import pick
from caleol.services.demo.territory import PlaceInfo, Territory, read_lines
from caleol.services.imports.demandes import DemandeRecord, insert_demandes

HOUSEHOLD_KINDS = {
    "single": 33, "single_parent": 20, "couple": 11, "young_couple": 6, "family": 25,
    "with_adult": 5,
}
CRITERIA_WEIGHTS = {
    "HANDICAP": 12, "DIFFICULTES": 10, "HEBERGE": 14, "VIOLENCES": 8, "INDECENT": 9,
    "SUROCCUPATION": 12, "MENACE_EXPULSION": 6, "REPRISE_ACTIVITE": 4,
    "PDALHPD_SANS_LOGEMENT": 8, "PDALHPD_TAUX_EFFORT": 6, "CIA_RAPPROCHEMENT_EMPLOI": 6,
    "CIA_RELOGEMENT_NPNRU": 5,
}
MOTIVES = list(MutationMotive)
DESK_SUFFIX = ("01", "02", "03", "11", "12")
SMIC_NET_CENTS = 142_600


@dataclass
class DemandeDraft:
    """One demande before insertion; `profile` keeps what the sessions need to pick it."""

    row: dict[str, Any]
    members: list[dict[str, Any]]
    resources: list[tuple[int | None, dict[str, Any]]]  # (member position or None, row)
    criteria: list[str]
    commune_ids: list[int]
    agency: str
    household: Household
    monthly_cents: int
    stable: bool
    id: int | None = None

    @property
    def persons(self) -> int:
        return self.household.persons


class NurCounter:
    """Sequence numbers per (département, year-month): NUR are unique by construction."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[str, str], int] = {}

    def make(self, department: str, filing: date) -> str:
        yymm = filing.strftime("%y%m")
        key = (department, yymm)
        seq = self.next.get(key, self.rng.randint(100, 900))
        self.next[key] = seq + self.rng.randint(1, 3)
        desk = f"V{department}{self.rng.choice(DESK_SUFFIX)}"
        return f"0{department}{yymm}{seq:05d}{desk}"


def birth_for_age(rng: random.Random, age: int, today: date) -> date:
    """A birth date giving exactly `age` completed years on `today`."""
    last_birthday_year = today.year - age
    days = rng.randint(0, 364)
    candidate = date(last_birthday_year, 1, 1) + timedelta(days=days)
    if (candidate.month, candidate.day) > (today.month, today.day):
        candidate = date(last_birthday_year - 1, candidate.month, min(candidate.day, 28))
    return candidate


def _child_ages(rng: random.Random, count: int, parent_age: int) -> list[int]:
    top = max(0, min(20, parent_age - 17))
    return sorted((rng.randint(0, top) for _ in range(count)), reverse=True)


class HouseholdFactory:
    """Draws demandes; deterministic for a given `random.Random` state."""

    def __init__(self, rng: random.Random, territory: Territory, today: date) -> None:
        self.rng = rng
        self.territory = territory
        self.today = today
        self.first_names = read_lines("prenoms.txt")
        # prenoms.txt lists 40 women's first names, then 40 men's: the applicant's
        # civility follows the first name drawn (as `demo.commissions._person` does)
        self.women = frozenset(self.first_names[:len(self.first_names) // 2])
        self.surnames = read_lines("noms.txt")
        self.streets = read_lines("rues.txt")
        self.nur = NurCounter(rng)
        self.places = {code: territory.places_of(code) for code in
                       ("METZ", "WOIPPY", "THIONVILLE", "FORBACH", "SAINT-AVOLD", "NANCY")}

    # -- composition ---------------------------------------------------------------
    def _composition(self, kind: str) -> list[dict[str, Any]]:
        rng = self.rng
        members: list[dict[str, Any]] = []

        def add(role: Role, age: int, **flags: bool) -> None:
            members.append({"role": role, "age": age, **flags})

        if kind == "single":
            add(Role.APPLICANT, rng.choice((rng.randint(19, 35), rng.randint(30, 64),
                                            rng.randint(60, 88))))
            if rng.random() < 0.12:  # a parent with a visiting-rights child
                add(Role.CHILD, rng.randint(2, 15), visiting_rights=True)
        elif kind == "single_parent":
            age = rng.randint(21, 52)
            add(Role.APPLICANT, age)
            for child_age in _child_ages(rng, rng.choice((1, 1, 2, 2, 3, 4)), age):
                add(Role.CHILD, child_age)
        elif kind == "couple":
            age = rng.randint(35, 80)
            add(Role.APPLICANT, age)
            add(Role.PARTNER, max(18, age + rng.randint(-6, 6)))
        elif kind == "young_couple":
            age = rng.randint(19, 29)
            add(Role.APPLICANT, age)
            add(Role.PARTNER, max(18, min(26, age + rng.randint(-3, 3))))
            if rng.random() < 0.4:
                add(Role.CHILD, rng.randint(0, 3))
        elif kind == "family":
            age = rng.randint(24, 55)
            add(Role.APPLICANT, age)
            add(Role.PARTNER, max(18, age + rng.randint(-5, 5)))
            count = rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5))
            for child_age in _child_ages(rng, count, age):
                add(Role.CHILD, child_age)
        else:  # with another adult (a parent, an adult sibling)
            age = rng.randint(25, 60)
            add(Role.APPLICANT, age)
            add(Role.OTHER_ADULT, rng.choice((rng.randint(18, 30), rng.randint(65, 90))))
            if rng.random() < 0.4:
                add(Role.CHILD, rng.randint(0, 16))
        children = [m for m in members if m["role"] is Role.CHILD]
        if children and rng.random() < 0.08:
            children[0]["age"] = 14  # the UC edge case: a child of exactly 14 counts 0.5
        for member in members:
            member["disabled"] = rng.random() < (0.07 if member["role"] is not Role.CHILD
                                                 else 0.02)
            member.setdefault("visiting_rights", False)
        return members

    # -- resources ------------------------------------------------------------------
    def _adult_resources(self, age: int, disabled: bool
                         ) -> list[tuple[ResourceKind, int, bool, str]]:
        rng = self.rng
        if age >= 63:
            return [(ResourceKind.PENSION, rng.randint(85_000, 190_000), True,
                     "pension de retraite")]
        if disabled and rng.random() < 0.6:
            return [(ResourceKind.PRESTATION, 101_600, True, "allocation aux adultes handicapés")]
        roll = rng.random()
        if roll < 0.42:
            return [(ResourceKind.SALAIRE, rng.randint(SMIC_NET_CENTS, 290_000), True,
                     "salaire (CDI)")]
        if roll < 0.62:
            return [(ResourceKind.SALAIRE, rng.randint(70_000, 180_000), False,
                     rng.choice(("salaire (CDD)", "intérim", "contrat aidé")))]
        if roll < 0.76:
            return [(ResourceKind.PRESTATION, rng.randint(90_000, 135_000), False,
                     "allocation chômage")]
        if roll < 0.93:
            return [(ResourceKind.PRESTATION, rng.randint(60_700, 64_600), True, "RSA")]
        return [(ResourceKind.AUTRE, rng.randint(30_000, 70_000), False,
                 "indemnités de formation")]

    # -- the draft ------------------------------------------------------------------
    def draft(self, agency: str | None = None, *, kind: str | None = None,
              force_dalo: bool | None = None) -> DemandeDraft:
        rng = self.rng
        today = self.today
        agency = agency or pick(rng, {"METZ": 24, "WOIPPY": 12, "THIONVILLE": 17,
                                      "FORBACH": 15, "SAINT-AVOLD": 12, "NANCY": 20})
        department = self.territory.agency_department(agency)
        kind = kind or pick(rng, HOUSEHOLD_KINDS)
        composition = self._composition(kind)
        surname = rng.choice(self.surnames)
        members: list[dict[str, Any]] = []
        rule_members: list[Member] = []
        resources: list[tuple[int | None, dict[str, Any]]] = []
        monthly = 0
        stable = True
        taxable = 0
        for position, spec in enumerate(composition):
            role: Role = spec["role"]
            own_surname = surname if role is not Role.PARTNER or rng.random() < 0.6 else (
                rng.choice(self.surnames)
            )
            members.append({
                "position": position,
                "role": role.value,
                "surname": own_surname,
                "first_names": rng.choice(self.first_names),
                "birth_date": birth_for_age(rng, spec["age"], today),
                "disabled": spec["disabled"],
                "visiting_rights": spec["visiting_rights"],
            })
            rule_members.append(Member(role, spec["age"], spec["disabled"],
                                       spec["visiting_rights"]))
            if role is Role.CHILD:
                if spec["age"] >= 18 and rng.random() < 0.5:
                    amount = rng.randint(40_000, 120_000)
                    resources.append((position, {"kind": ResourceKind.SALAIRE.value,
                                                 "monthly_cents": amount, "stable": False,
                                                 "label": "apprentissage"}))
                    monthly += amount
                    stable = False
                continue
            for res_kind, amount, is_stable, label in self._adult_resources(
                spec["age"], spec["disabled"]
            ):
                resources.append((position, {"kind": res_kind.value, "monthly_cents": amount,
                                             "stable": is_stable, "label": label}))
                monthly += amount
                stable = stable and is_stable
                if res_kind in (ResourceKind.SALAIRE, ResourceKind.PENSION):
                    taxable += amount
        household = Household(tuple(rule_members))
        children = len(household.children) - household.visiting_rights_children
        if children >= 2:
            amount = {2: 14_900, 3: 34_000}.get(children, 34_000 + (children - 3) * 19_000)
            resources.append((None, {"kind": ResourceKind.PRESTATION.value, "monthly_cents": amount,
                                     "stable": True, "label": "allocations familiales"}))
            monthly += amount
        if kind == "single_parent" and rng.random() < 0.4:
            amount = rng.randint(12_000, 32_000)
            resources.append((None, {"kind": ResourceKind.PENSION_ALIMENTAIRE.value,
                                     "monthly_cents": amount, "stable": True,
                                     "label": "pension alimentaire"}))
            monthly += amount
            taxable += amount
        if monthly == 0:
            amount = rng.randint(55_000, 64_000)
            resources.append((0, {"kind": ResourceKind.PRESTATION.value, "monthly_cents": amount,
                                  "stable": True, "label": "RSA"}))
            monthly += amount
        # revenu fiscal de référence n-2: taxable income less the 10 % allowance, a bit lower
        # two years ago; about one demande in twenty is above the PLUS ceiling.
        rfr = int(taxable * 12 / 100 * 0.9 * rng.uniform(0.85, 1.0))
        if rng.random() < 0.05:
            rfr = int(rfr * rng.uniform(1.8, 2.6)) + 25_000
        filing = today - timedelta(days=min(int(rng.expovariate(1 / 560)), 6 * 365))
        age_years = today.year - filing.year - int(
            (today.month, today.day) < (filing.month, filing.day)
        )
        renewal = filing.replace(year=filing.year + age_years) if age_years >= 1 and not (
            filing.month == 2 and filing.day == 29
        ) else None
        criteria: list[str] = []
        dalo = rng.random() < 0.025 if force_dalo is None else force_dalo
        if dalo:
            criteria.append("DALO")
        if rng.random() < 0.22 or dalo:
            for _ in range(rng.choice((1, 1, 2))):
                code = pick(rng, CRITERIA_WEIGHTS)
                if code not in criteria:
                    criteria.append(code)
        if household.has_disabled_member and "HANDICAP" not in criteria and rng.random() < 0.6:
            criteria.append("HANDICAP")
        units = household.consumption_units
        per_uc = Decimal(monthly) / units
        # Estimated APL: half the gap to 1 100 €/UC plus 50 € per extra person, at most
        # 500 €. Close enough to the barème for the lowest incomes (a single person on
        # the RSA gets ~250 €), so first-quartile households can afford a dwelling as
        # they do in reality and the demo's quartile indicator is not zero.
        aid = 0
        if per_uc < 110_000:
            aid = int((110_000 - per_uc) * Decimal("0.5")) + 5_000 * (household.persons - 1)
            aid = min(aid, 50_000)
        salaried = any(r[1]["kind"] == ResourceKind.SALAIRE.value for r in resources)
        social_tenant = rng.random() < 0.18
        places = self.places[agency]
        wished = [places[0].commune_id]
        for place in rng.sample(places, k=min(len(places), rng.choice((0, 1, 1, 2)))):
            if place.commune_id not in wished:
                wished.append(place.commune_id)
        allowed = [t.value for t in allowed_typologies(household)]
        wished_types = allowed if len(allowed) <= 2 or rng.random() < 0.5 else rng.sample(
            allowed, k=2
        )
        home: PlaceInfo = rng.choice(places)
        applicant = members[0]
        cotation = rng.randint(5, 45) + 15 * len(criteria) + (30 if dalo else 0) + min(
            age_years * 4, 20
        )
        row = {
            "nur": self.nur.make(department, filing),
            "filing_date": filing,
            "renewal_date": renewal,
            "status": DemandeStatus.ACTIVE.value,
            "applicant_civility": "Mme" if applicant["first_names"] in self.women else "M.",
            "applicant_surname": applicant["surname"],
            "applicant_first_names": applicant["first_names"],
            "address": f"{rng.randint(1, 90)} {rng.choice(self.streets)}",
            "postal_code": home.postal_code,
            "city": home.name,
            "department_code": department,
            "reference_tax_income": rfr,
            "reference_tax_income_year": today.year - 2,
            "housing_aid_cents": aid or None,
            "dalo": dalo,
            "comed_decision_date": filing + timedelta(days=rng.randint(60, 200)) if dalo else None,
            "syplo_label": bool(criteria) and rng.random() < 0.4,
            "cotation_score": cotation,
            "action_logement_employee": salaried and rng.random() < 0.35,
            "current_social_tenant": social_tenant,
            "mutation_motive": rng.choice(MOTIVES).value if social_tenant else None,
            "wished_typologies": ",".join(wished_types),
            "max_rent_cents": (int(monthly * 0.3) // 1000 * 1000 + 10_000)
            if rng.random() < 0.55 else None,
            "association_bail_glissant": rng.random() < 0.01,
            "payment_guarantee": (not stable) and rng.random() < 0.4,
            "notes": "",
        }
        if row["comed_decision_date"] and row["comed_decision_date"] > today:
            row["comed_decision_date"] = today - timedelta(days=5)
        return DemandeDraft(
            row=row, members=members, resources=resources, criteria=criteria,
            commune_ids=wished, agency=agency, household=household, monthly_cents=monthly,
            stable=stable,
        )


def insert_drafts(
    writer: AuditedInserter, drafts: list[DemandeDraft], criterion_ids: dict[str, int]
) -> None:
    """Insert the drafts with the import's bulk writer; sets `draft.id`."""
    records = [
        DemandeRecord(
            nur=draft.row["nur"],
            values={k: v for k, v in draft.row.items() if k != "nur"},
            members=draft.members,
            resources=draft.resources,
            criterion_ids=[criterion_ids[code] for code in draft.criteria],
            commune_ids=draft.commune_ids,
        )
        for draft in drafts
    ]
    for draft, demande_id in zip(drafts, insert_demandes(writer, records), strict=True):
        draft.id = demande_id
