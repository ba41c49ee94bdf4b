"""The household that will live in the dwelling, and what the rules derive from it.

Counting conventions, decided once here (the explanations repeat them):

* **Persons** are every member, children under a *droit de visite et d'hébergement*
  included: the loi ELAN lets them count in the size of the household (charter §2
  « Une typologie adaptée »), and we count them the same way for the ceiling category
  and the consumption units so the three checks describe one household.
* **Dependants** (*personnes à charge*) are the children (role `child`), visiting-rights
  children included. Other adults (a parent, an adult sibling...) are persons, never
  dependants: whether an adult is fiscally dependent is read on the tax notice, which
  the secretary checks; declare an adult dependent child as `child`.
* **Jeune ménage**: a couple (applicant + partner) whose two ages add up to 55 or less
  (arrêté du 29 juillet 1987).
* **Consumption units** (charter §2 « La solvabilité des ménages »): the applicant 1;
  the partner and any other adult 0.5; a child aged 14 or more 0.5 (a child of exactly
  14 counts 0.5, the INSEE convention « 14 ans et plus »); a child under 14 0.3.
* **Ages** are completed years on the examination date (`age_on`); someone born on
  29 February turns one year older on 1 March in common years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, lru_cache

from caleol.errors import ValidationError
from caleol.fr import format_decimal

MAX_AGE = 130
YOUNG_COUPLE_MAX_AGE_SUM = 55
CHILD_FULL_UNIT_AGE = 14  # « 14 ans et plus » counts 0.5 UC

UNIT_FIRST = Decimal("1")
UNIT_OTHER = Decimal("0.5")
UNIT_CHILD_14_PLUS = Decimal("0.5")
UNIT_CHILD_UNDER_14 = Decimal("0.3")

LAST_CATEGORY = 6


class Role(StrEnum):
    APPLICANT = "applicant"
    PARTNER = "partner"
    CHILD = "child"
    OTHER_ADULT = "other_adult"

    @property
    def label(self) -> str:
        return {
            "applicant": "demandeur",
            "partner": "conjoint",
            "child": "enfant",
            "other_adult": "autre adulte",
        }[self.value]


@dataclass(frozen=True)
class Member:
    role: Role
    age: int
    disabled: bool = False
    visiting_rights: bool = False


def age_on(birth: date, on: date) -> int:
    """Completed years on `on`.

    Raises:
        ValidationError: when the birth date is after `on`.
    """
    if birth > on:
        raise ValidationError(
            f"La date de naissance ({birth.isoformat()}) est postérieure à la date "
            f"d'examen ({on.isoformat()})."
        )
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


@dataclass(frozen=True)
class Household:
    """Validated on construction: an impossible household raises `ValidationError`.

    Immutable, so what is derived from the members (units, category, summary) is
    computed once per household (`cached_property`, outside the compared fields): the
    checks and the household summary of one candidate ask for each two to four times.
    """

    members: tuple[Member, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        problems = _problems(self.members)
        if problems:
            raise ValidationError("Composition du ménage impossible.", details=problems)

    # -- composition -------------------------------------------------------------
    @property
    def applicant(self) -> Member:
        return next(m for m in self.members if m.role is Role.APPLICANT)

    @property
    def partner(self) -> Member | None:
        return next((m for m in self.members if m.role is Role.PARTNER), None)

    @property
    def children(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.role is Role.CHILD)

    @property
    def other_adults(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.role is Role.OTHER_ADULT)

    @property
    def persons(self) -> int:
        """Every member, visiting-rights children included (loi ELAN)."""
        return len(self.members)

    @property
    def dependants(self) -> int:
        """Children, visiting-rights children included; never other adults."""
        return len(self.children)

    @property
    def visiting_rights_children(self) -> int:
        return sum(1 for m in self.children if m.visiting_rights)

    @property
    def is_couple(self) -> bool:
        return self.partner is not None

    @property
    def is_single(self) -> bool:
        """A *personne isolée*: no partner and no other adult (children allowed)."""
        return not self.is_couple and not self.other_adults

    @property
    def is_young_couple(self) -> bool:
        """*Jeune ménage*: couple whose applicant + partner ages sum to 55 or less."""
        partner = self.partner
        if partner is None:
            return False
        return self.applicant.age + partner.age <= YOUNG_COUPLE_MAX_AGE_SUM

    @property
    def has_disabled_member(self) -> bool:
        return any(m.disabled for m in self.members)

    # -- consumption units ---------------------------------------------------------
    def _units(self) -> tuple[tuple[Decimal, str], ...]:
        return self._unit_parts

    @cached_property
    def _unit_parts(self) -> tuple[tuple[Decimal, str], ...]:
        parts: list[tuple[Decimal, str]] = [(UNIT_FIRST, "demandeur")]
        for member in self.members:
            if member.role is Role.PARTNER:
                parts.append((UNIT_OTHER, "conjoint"))
            elif member.role is Role.OTHER_ADULT:
                parts.append((UNIT_OTHER, "autre adulte"))
            elif member.role is Role.CHILD:
                years = f"enfant de {member.age} an{'s' if member.age > 1 else ''}"
                if member.age >= CHILD_FULL_UNIT_AGE:
                    note = " : 14 ans et plus" if member.age == CHILD_FULL_UNIT_AGE else ""
                    parts.append((UNIT_CHILD_14_PLUS, f"{years}{note}"))
                else:
                    parts.append((UNIT_CHILD_UNDER_14, years))
        return tuple(parts)

    @cached_property
    def consumption_units(self) -> Decimal:
        return sum((units for units, _ in self._units()), Decimal(0))

    def consumption_units_detail(self) -> str:
        """`1 (demandeur) + 0,5 (conjoint) + 0,3 (enfant de 10 ans) = 1,8 UC`."""
        return self._units_detail

    @cached_property
    def _units_detail(self) -> str:
        terms = " + ".join(f"{_units_text(u)} ({why})" for u, why in self._units())
        return f"{terms} = {_units_text(self.consumption_units)} UC"

    # -- ceiling category (arrêté du 29 juillet 1987) --------------------------------
    def _category_basis(self) -> tuple[int, str]:
        return self._basis

    @cached_property
    def _basis(self) -> tuple[int, str]:
        """Equivalent number of persons under the arrêté's definitions, and why.

        The arrêté defines each category by alternatives (n persons; a single person
        with n-1 dependants; n-1 persons of whom one is disabled; a jeune ménage
        without dependant for category 3). A household belongs to the highest
        category any alternative gives; the alternatives do not add up.
        """
        n = self.persons
        options: list[tuple[int, str]] = [(n, _plural(n, "personne"))]
        if self.is_single and self.dependants >= 1:
            options.append(
                (n + 1, f"personne seule avec {_plural(self.dependants, 'personne')} à charge")
            )
        if self.has_disabled_member:
            disabled = sum(1 for m in self.members if m.disabled)
            who = "une" if disabled == 1 else str(disabled)
            options.append(
                (n + 1, f"{_plural(n, 'personne')} dont {who} en situation de handicap")
            )
        partner = self.partner
        if partner is not None and n == 2:
            a, p = self.applicant.age, partner.age
            ages = f"âges cumulés {a} + {p} = {a + p}"
            if self.is_young_couple:
                options.append((3, f"jeune ménage sans personne à charge, {ages} ≤ 55 ans"))
            else:
                options[0] = (n, f"2 personnes sans personne à charge, {ages} > 55 ans : "
                                 "pas un jeune ménage")
        return max(options, key=lambda option: option[0])

    def ceiling_category(self) -> tuple[int, int]:
        """(category 1-6, number of extra persons beyond category 6)."""
        equivalent, _ = self._category_basis()
        return min(equivalent, LAST_CATEGORY), max(equivalent - LAST_CATEGORY, 0)

    def ceiling_category_reason(self) -> str:
        """French phrase naming the arrêté's definition that gave the category."""
        return self._category_basis()[1]

    def intermediate_category(self) -> tuple[int, int]:
        """Category for the PLI/LLI tables (CGI annexe III art. 2 terdecies D).

        1 single person; 2 couple; then 3, 4... for one, two... persons at charge
        (every member besides the applicant and partner), capped at 6 + extras.
        """
        others = self.persons - 1 - int(self.is_couple)
        equivalent = 1 if self.persons == 1 else 2 + others
        return min(equivalent, LAST_CATEGORY), max(equivalent - LAST_CATEGORY, 0)

    # -- summary -------------------------------------------------------------------
    def summary(self) -> str:
        """`couple + 2 enfants`, `personne isolée + 1 enfant (dont 1 en droit de visite)`."""
        return self._summary

    @cached_property
    def _summary(self) -> str:
        text = "couple" if self.is_couple else "personne isolée"
        if self.children:
            text += f" + {_plural(len(self.children), 'enfant')}"
            if self.visiting_rights_children:
                text += f" (dont {self.visiting_rights_children} en droit de visite)"
        if self.other_adults:
            text += f" + {_plural(len(self.other_adults), 'autre adulte')}"
        return text


@lru_cache(maxsize=256)  # a few dozen values (0,3, 0,5, 1 and their sums)
def _units_text(units: Decimal) -> str:
    """UC without useless zeros: 1, 0,5, 2,3 (the value alone decides: 0.50 is 0,5)."""
    exponent = units.normalize().as_tuple().exponent  # a letter for NaN and infinities only
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_decimal(units, places)


def _where(index: int, role: Role) -> str:
    return f"membre {index} ({role.label})"


def _problems(members: tuple[Member, ...]) -> list[str]:
    problems: list[str] = []
    if not members:
        return ["le ménage ne comporte aucun membre."]
    roles = [m.role for m in members]
    applicants = roles.count(Role.APPLICANT)
    if applicants == 0:
        problems.append("aucun demandeur (rôle « applicant »).")
    elif applicants > 1:
        problems.append(f"{applicants} demandeurs : un seul demandeur par ménage.")
    if roles.count(Role.PARTNER) > 1:
        problems.append("plusieurs conjoints : un seul conjoint par ménage.")
    for index, member in enumerate(members, start=1):
        role, age = member.role, member.age
        if not isinstance(role, Role):
            problems.append(f"membre {index} : rôle inconnu « {role} ».")
            continue
        # « membre 2 (conjoint) » is written only for a problem (`_where`): `Role.label`
        # is an enum property building a dict, and nearly every member has none
        if isinstance(age, bool) or not isinstance(age, int):
            problems.append(f"{_where(index, role)} : l'âge doit être un nombre entier "
                            "d'années.")
            continue
        if age < 0:
            problems.append(f"{_where(index, role)} : âge négatif ({age}).")
        elif age > MAX_AGE:
            problems.append(f"{_where(index, role)} : âge invraisemblable ({age} ans).")
        elif role is Role.OTHER_ADULT and age < 18:
            problems.append(
                f"{_where(index, role)} : un autre adulte a au moins 18 ans ; déclarez ce "
                "mineur comme enfant."
            )
        elif (role is Role.APPLICANT or role is Role.PARTNER) and age < 16:
            problems.append(f"{_where(index, role)} : moins de 16 ans ({age} ans).")
        if member.visiting_rights and role is not Role.CHILD:
            problems.append(f"{_where(index, role)} : seul un enfant peut relever d'un droit "
                            "de visite.")
    return problems
