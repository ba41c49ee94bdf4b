"""The indicators as data: one row per indicator, evaluated by `evaluation.evaluate`.

Adding an indicator is adding a row to `DEFINITIONS`: who is in the population, who is
counted, the counting basis the sources set, the default target, the sentence of the
explanation and the references. Sources (copies in `docs/reference/`):

* **Charte** — the model attribution charter (`charte-des-attributions.txt`), §3
  « Mixité sociale » and « Action Logement Services »;
* **CUS** — the model CUS's chapter on attribution policy
  (`vivest-cus-politique-attribution.txt`), §8.2.2 and the PS/PP indicator tables;
* **Avenant CUS 2024-2026** — the model CUS's amendment
  (`metz-metropole-cus-vivest-2021-2026.txt`): definitions of PS-1, PS-2, PS-3 and
  PP-5.

The references printed cite the law, the national CUS indicators and the landlord's
own charter and CUS by subject (`rules.charter`), never the model's sections.

Only the national targets of the CCH are written here (`legal_default`, with its
article in `legal_default_reference`). The landlord's own commitments (the CUS
amendment's, the charter's, the State convention's) are stored targets the landlord
edits (`services.organisation.defaults.TARGETS` installs them with the charter).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from caleol.rules.charter import CHARTER, CUS
from caleol.rules.indicators import criteria
from caleol.rules.indicators.criteria import Criterion
from caleol.rules.indicators.records import AttributionRecord, CountingBasis


class Direction(StrEnum):
    AT_LEAST = "min"
    AT_MOST = "max"


class Measure(StrEnum):
    RATE = "taux"
    COUNT = "nombre"


@dataclass(frozen=True)
class Figure:
    """A count shown beside an indicator (`IndicatorResult.figures`), taken among the
    attributions of its numerator, with the note the explanation prints when non-zero.
    `note` has a `{count}` placeholder, replaced by « 1 <noun> », « 3 <noun>s »: the
    rest of the note must not agree with it (« pris », not « compté(s) »)."""

    key: str
    applies: Criterion
    noun: str
    note: str

    def count(self, records: list[AttributionRecord]) -> int:
        return sum(1 for r in records if self.applies(r) is True)


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator.

    `population` answers whether an attribution is in the denominator, `counted`
    whether it is in the numerator; either may answer an `ExclusionCause` instead
    (the attribution is then listed apart, never counted as a no). `sentence` has the
    placeholders `{n}` and `{d}` (« 1 attribution », « 3 attributions »).
    `legal_default` is the national target the CCH sets for every landlord, applied when
    no stored target covers the measure; `legal_default_reference` is its article.
    `basis_reference` says where the default counting basis comes from.
    `scope`, when set, says which attributions are on the contingent the target is about:
    a period with none (a landlord without an État contingent or Action Logement
    reservation) makes the indicator « sans objet », never « non atteint » against a
    default target meant for landlords who have one.
    """

    code: str
    label: str
    population: Criterion
    counted: Criterion
    basis: CountingBasis
    sentence: str
    reference: str
    basis_reference: str
    direction: Direction = Direction.AT_LEAST
    measure: Measure = Measure.RATE
    legal_default: Decimal | None = None
    legal_default_reference: str = ""
    figures: tuple[Figure, ...] = ()
    scope: Criterion | None = None


_ON_DECISIONS = (
    f"{CUS}, indicateurs PS et PP : « nombre d'attributions … parmi le nombre total des "
    "attributions, par année », comptées à la date de la décision de la CALEOL"
)

Q1_OUTSIDE_QPV = IndicatorDefinition(
    code="Q1-HQPV",
    label="Attributions hors QPV aux ménages du 1er quartile",
    population=criteria.outside_qpv,
    counted=criteria.first_quartile_or_relocation,
    basis=CountingBasis.LEASES,
    legal_default=Decimal("0.25"),
    legal_default_reference="art. L441-1 du CCH",
    sentence=(
        "{n} hors QPV à des ménages du 1er quartile (ressources annuelles par UC "
        "inférieures ou égales au seuil de l'EPCI) sur {d} hors QPV"
    ),
    reference="CUS indicateur PS-1 ; art. L441-1 CCH (alinéas 23 à 25), loi Égalité et "
              f"Citoyenneté ; {CHARTER} (mixité sociale)",
    basis_reference=(
        "art. L441-1 CCH : « attributions annuelles, suivies de baux signés » ; CUS "
        "indicateur PS-1 : « attributions de logements, suivies de baux signés »"
    ),
    figures=(
        Figure("npnru_relocations", criteria.npnru_relocation, "relogement",
               "Dont {count} NPNRU pris en compte avec le 1er quartile."),
        Figure("zero_resources", criteria.zero_resources_in_first_quartile, "ménage",
               "Dont {count} sans ressources (0 €/UC, 1er quartile)."),
    ),
)
QPV_Q2_Q4 = IndicatorDefinition(
    code="QPV-Q2Q4",
    label="Attributions en QPV aux ménages des quartiles 2 à 4",
    population=criteria.inside_qpv,
    counted=criteria.above_first_quartile,
    basis=CountingBasis.PROPOSALS,
    legal_default=Decimal("0.50"),
    legal_default_reference="art. L441-1 du CCH, à défaut d'orientations de la CIL",
    sentence=(
        "{n} en QPV à des ménages des quartiles 2 à 4 (ressources annuelles par UC "
        "supérieures au seuil de l'EPCI) sur {d} en QPV"
    ),
    reference="Art. L441-1 CCH (objectif des orientations de la CIL, à défaut 50 %) ; "
              f"{CHARTER} (mixité sociale)",
    basis_reference=(
        "art. L441-1 CCH : « objectif quantifié d'attribution » en QPV, sans condition "
        "de bail signé : une proposition par logement attribué, à la date de la décision"
    ),
)
PS2_PRIORITY = IndicatorDefinition(
    code="PS-2",
    label="Attributions aux ménages prioritaires (logements non réservés ou rendus)",
    population=criteria.non_reserved,
    counted=criteria.priority_household,
    basis=CountingBasis.PROPOSALS,
    legal_default=Decimal("0.25"),
    legal_default_reference="art. L441-1 du CCH",
    sentence=(
        "{n} à des ménages prioritaires sur {d} de logements non réservés ou rendus par "
        "le réservataire"
    ),
    reference="CUS indicateur PS-2 ; art. L441-1 CCH (25 % des attributions non réservées)",
    basis_reference=_ON_DECISIONS,
)
PS2_OUTSIDE_QPV = IndicatorDefinition(
    code="PS-2-HQPV",
    label="Part hors QPV des attributions aux ménages prioritaires",
    population=criteria.priority_on_non_reserved,
    counted=criteria.outside_qpv,
    basis=CountingBasis.PROPOSALS,
    sentence="{n} hors QPV sur {d} aux ménages prioritaires (PS-2)",
    reference=f"CUS indicateur PS-2 (dont part hors QPV) ; engagements par département de la "
              f"{CUS}",
    basis_reference=_ON_DECISIONS,
)
PS3_DALO = IndicatorDefinition(
    code="PS-3",
    label="Attributions aux ménages reconnus prioritaires DALO",
    population=criteria.everyone,
    counted=criteria.dalo,
    basis=CountingBasis.PROPOSALS,
    sentence="{n} à des ménages reconnus prioritaires DALO sur {d}",
    reference="CUS indicateur PS-3 ; art. L441-2-3 CCH (commission de médiation)",
    basis_reference=_ON_DECISIONS,
)
PS3_OUTSIDE_QPV = IndicatorDefinition(
    code="PS-3-HQPV",
    label="Part hors QPV des attributions aux ménages DALO",
    population=criteria.dalo,
    counted=criteria.outside_qpv,
    basis=CountingBasis.PROPOSALS,
    sentence="{n} hors QPV sur {d} aux ménages DALO (PS-3)",
    reference="CUS indicateur PS-3 (dont part hors QPV)",
    basis_reference=_ON_DECISIONS,
)
ETAT_PRIORITAIRES = IndicatorDefinition(
    code="ETAT-PRIO",
    label="Contingent de l'État : publics prioritaires",
    population=criteria.everyone,
    counted=criteria.etat_prioritaires,
    basis=CountingBasis.PROPOSALS,
    sentence="{n} du contingent de l'État aux publics prioritaires sur {d}",
    scope=criteria.on_etat_contingent,
    reference=f"{CUS} et convention de réservation de l'État (PDALHPD) : publics "
              "prioritaires",
    basis_reference=_ON_DECISIONS,
)
ETAT_AGENTS = IndicatorDefinition(
    code="ETAT-AGENTS",
    label="Contingent de l'État : agents de l'État",
    population=criteria.everyone,
    counted=criteria.etat_agents,
    basis=CountingBasis.PROPOSALS,
    direction=Direction.AT_MOST,
    sentence="{n} du contingent de l'État à des agents de l'État sur {d}",
    scope=criteria.on_etat_contingent,
    reference=f"{CUS} et convention de réservation de l'État : agents de l'État",
    basis_reference=_ON_DECISIONS,
)
ACTION_LOGEMENT_EMPLOYEES = IndicatorDefinition(
    code="AL-SALARIES",
    label="Attributions aux salariés (Action Logement)",
    population=criteria.everyone,
    counted=criteria.employee,
    basis=CountingBasis.PROPOSALS,
    sentence="{n} à des salariés sur {d}",
    # no contingent scope: the charter's 50 % is of all the landlord's attributions
    # (« 50 % minimum des attributions » for a subsidiary of Action Logement), not of
    # those on an Action Logement reservation
    reference=f"{CHARTER} (engagements envers Action Logement) : attributions au "
              "bénéfice de salariés",
    basis_reference="engagement annuel d'attributions, comptées à la date de la décision "
                    "de la CALEOL",
)
PP5_SOCIAL_TENANTS = IndicatorDefinition(
    code="PP-5",
    label="Attributions aux locataires du parc social (mutations)",
    population=criteria.everyone,
    counted=criteria.social_tenant,
    basis=CountingBasis.PROPOSALS,
    sentence="{n} à des locataires du parc social sur {d}",
    reference="CUS indicateur PP-5 : attributions aux locataires du parc social",
    basis_reference=_ON_DECISIONS,
)
PP5_INTERNAL_MUTATIONS = IndicatorDefinition(
    code="PP-5-MUT",
    label="Mutations internes (nombre)",
    population=criteria.everyone,
    counted=criteria.internal_mutation,
    basis=CountingBasis.PROPOSALS,
    measure=Measure.COUNT,
    sentence="Mutations internes parmi {d}",
    reference="CUS indicateur PP-5 complémentaire : mutations internes prévues et réalisées",
    basis_reference=_ON_DECISIONS,
)

DEFINITIONS: tuple[IndicatorDefinition, ...] = (
    Q1_OUTSIDE_QPV, QPV_Q2_Q4, PS2_PRIORITY, PS2_OUTSIDE_QPV, PS3_DALO, PS3_OUTSIDE_QPV,
    ETAT_PRIORITAIRES, ETAT_AGENTS, ACTION_LOGEMENT_EMPLOYEES, PP5_SOCIAL_TENANTS,
    PP5_INTERNAL_MUTATIONS,
)
DEFINITIONS_BY_CODE: Mapping[str, IndicatorDefinition] = {d.code: d for d in DEFINITIONS}
