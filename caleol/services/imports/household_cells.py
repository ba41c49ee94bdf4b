"""A household and its resources as the import and the demande editor read them.

Shared by the CSV import (one `|`-separated cell each, see `caleol.services.imports.
demandes`) and the demande editor (one table row per member or resource), so both
accept and refuse exactly the same households:

* member: `rôle:date de naissance[:handicap][:visite]`, the applicant first;
* resource: `nature:montant mensuel[:précaire][:n° du membre]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from caleol.db.models.enums import ResourceKind
from caleol.errors import ValidationError
from caleol.rules.household import Household, Member, Role, age_on
from caleol.services.imports import cells
from caleol.services.imports.cells import CellError
from caleol.services.imports.csvfile import normalize_header

MAX_MEMBERS = 20
ROLES = {
    "demandeur": Role.APPLICANT, "demandeuse": Role.APPLICANT, "applicant": Role.APPLICANT,
    "conjoint": Role.PARTNER, "conjointe": Role.PARTNER, "partner": Role.PARTNER,
    "enfant": Role.CHILD, "child": Role.CHILD,
    "autre": Role.OTHER_ADULT, "autre_adulte": Role.OTHER_ADULT,
    "other_adult": Role.OTHER_ADULT,
}
_ROLE_VALUES = {role: role.value for role in Role}  # an enum's `.value` is a slow property
ROLE_WORDS = {Role.APPLICANT: "demandeur", Role.PARTNER: "conjoint", Role.CHILD: "enfant",
              Role.OTHER_ADULT: "autre_adulte"}
KINDS = {
    **{k.value: k for k in ResourceKind},
    **{normalize_header(k.label): k for k in ResourceKind},
    "retraite": ResourceKind.PENSION, "pension_de_retraite": ResourceKind.PENSION,
    "pension_d_invalidite": ResourceKind.PENSION, "alimentaire": ResourceKind.PENSION_ALIMENTAIRE,
    "prestations": ResourceKind.PRESTATION, "prestation_sociale": ResourceKind.PRESTATION,
}
PRECARIOUS = {"precaire", "precaires", "instable", "non_stable"}
STABLE = {"stable", "stables"}
FLAG_DISABLED = {"handicap", "handicape", "handicapee", "h"}
FLAG_VISITING = {"visite", "droit_de_visite", "garde", "dvh", "v"}


def _key(text: str) -> str:
    return normalize_header(text)


def parse_members(items: Sequence[Sequence[str]], today: date
                  ) -> tuple[list[dict[str, Any]], list[str]]:
    """The household from `[rôle, date de naissance, *options]` items, applicant first.

    Returns:
        The member values (`position`, `role`, `birth_date`, `disabled`,
        `visiting_rights`) and every problem found, in French (empty when valid).
    """
    if not items:
        return [], ["au moins un membre : le demandeur"]
    if len(items) > MAX_MEMBERS:
        return [], [f"ménage de {len(items)} personnes : au plus {MAX_MEMBERS} (vérifiez "
                    "la cellule)"]
    members: list[dict[str, Any]] = []
    rule_members: list[tuple[Role, int, bool, bool]] = []
    problems: list[str] = []
    for number, parts in enumerate(items, start=1):
        role = ROLES.get(_key(parts[0])) if parts else None
        if role is None:
            problems.append(f"membre {number} : rôle inconnu « {parts[0] if parts else ''} » "
                            "(demandeur, conjoint, enfant ou autre adulte)")
            continue
        if len(parts) < 2 or not parts[1]:
            problems.append(f"membre {number} ({parts[0]}) : date de naissance manquante")
            continue
        try:
            birth = cells.day(parts[1], not_after=today)
        except CellError as exc:
            problems.append(f"membre {number} ({parts[0]}) : {exc}")
            continue
        disabled = visiting = False
        if len(parts) > 2:  # options are rare: no set built for most members
            flags = {_key(p) for p in parts[2:] if p}
            unknown = flags - FLAG_DISABLED - FLAG_VISITING
            if unknown:
                listed = ", ".join(sorted(unknown))
                problems.append(f"membre {number} : option inconnue « {listed} » (handicap "
                                "ou visite)")
                continue
            disabled = bool(flags & FLAG_DISABLED)
            visiting = bool(flags & FLAG_VISITING)
        members.append({"position": number - 1, "role": _ROLE_VALUES[role],
                        "birth_date": birth, "disabled": disabled, "visiting_rights": visiting})
        rule_members.append((role, age_on(birth, today), disabled, visiting))
    if not problems:
        if members and members[0]["role"] != _ROLE_VALUES[Role.APPLICANT]:
            problems.append("le demandeur doit être le premier membre")
        problems += _household_problems(tuple(rule_members))
    return ([] if problems else members), problems


@lru_cache(maxsize=16384)
def _household_problems(members: tuple[tuple[Role, int, bool, bool], ...]) -> tuple[str, ...]:
    """Why `Household` refuses these members (role, age, handicap, visite), if it does.

    Remembered: an import of 10 000 households meets the same compositions again and
    again (a single adult of 40, a couple and two children…).
    """
    try:
        Household(tuple(Member(*member) for member in members))
    except ValidationError as exc:
        return tuple(d.replace(" (rôle « applicant »)", "").rstrip(".")
                     for d in exc.details) or (exc.message,)
    return ()


def parse_resources(items: Sequence[Sequence[str]], member_count: int
                    ) -> tuple[list[tuple[int | None, dict[str, Any]]], list[str]]:
    """Resources from `[nature, montant mensuel, *options]` items (options: précaire,
    stable, n° du membre from 1).

    Returns:
        `(member index or None, values)` per resource and every problem, in French.
    """
    resources: list[tuple[int | None, dict[str, Any]]] = []
    problems: list[str] = []
    for number, parts in enumerate(items, start=1):
        kind = KINDS.get(_key(parts[0])) if parts else None
        if kind is None:
            problems.append(f"ressource {number} : nature inconnue « {parts[0] if parts else ''} "
                            "» (salaire, pension, prestation, pension alimentaire, autre)")
            continue
        if len(parts) < 2:
            problems.append(f"ressource {number} ({parts[0]}) : montant mensuel manquant")
            continue
        try:
            amount = cells.money_cents(parts[1])
        except CellError as exc:
            problems.append(f"ressource {number} ({parts[0]}) : {exc}")
            continue
        stable = True
        member: int | None = None
        for option in parts[2:]:
            word = _key(option)
            if word in PRECARIOUS:
                stable = False
            elif word in STABLE:
                stable = True
            elif word.isdigit() and 1 <= int(word) <= member_count:
                member = int(word) - 1
            else:
                problems.append(f"ressource {number} : « {option} » n'est ni « précaire » "
                                f"ni un numéro de membre (1 à {member_count})")
        resources.append((member, {"kind": kind.value, "monthly_cents": amount,
                                   "stable": stable, "label": ""}))
    return ([] if problems else resources), problems


__all__ = ["KINDS", "MAX_MEMBERS", "ROLES", "ROLE_WORDS", "parse_members", "parse_resources"]
