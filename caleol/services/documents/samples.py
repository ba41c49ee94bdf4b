"""Realistic, made-up session data for tests, benchmarks and the `sample-minutes` command.

Deterministic (seeded) so a rendered sample is the same from one run to the next.
Every person here is invented.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from typing import Any

from caleol.fr import counted, format_money, format_percent
from caleol.rules.decisions import justification_grounds
from caleol.rules.votes import Vote, vote_sentence
from caleol.services.documents.data import (
    CEILING,
    SOLVENCY,
    TYPOLOGY,
    WAITING_TIME,
    Attendance,
    Candidate,
    CandidateRule,
    Decision,
    DecisionKind,
    Dwelling,
    DwellingExamination,
    Letterhead,
    Member,
    MinutesData,
    OccupancyReview,
    PreviousOffer,
    Quorum,
    SessionInfo,
    SessionKind,
    Votes,
)

FIRST_NAMES = (  # (civility, first name)
    ("Mme", "Camille"), ("Mme", "Nadia"), ("M.", "Julien"), ("Mme", "Fatima"),
    ("M.", "Kevin"), ("Mme", "Sophie"), ("M.", "Mehdi"), ("Mme", "Laetitia"),
    ("M.", "Thomas"), ("Mme", "Aïcha"), ("M.", "Jérôme"), ("Mme", "Élodie"),
    ("M.", "Mohamed"), ("Mme", "Céline"), ("M.", "Stéphane"), ("Mme", "Inès"),
    ("M.", "François"), ("Mme", "Chloé"), ("M.", "Yannick"), ("Mme", "Zoé"),
    ("M.", "Sébastien"), ("Mme", "Maëlle"), ("M.", "Rachid"), ("Mme", "Aurélie"),
)
SURNAMES = (
    "Muller", "Schmitt", "Weber", "Klein", "Bauer", "Ben Saïd", "Lefèvre", "Hoffmann",
    "Martin", "Becker", "Wagner", "Diallo", "Fischer", "Nguyen", "Gross", "Meyer",
    "Kieffer", "Bertrand", "Zimmermann", "Dos Santos", "Haddad", "Roth", "Jung", "Keller",
)
LONG_NAME = "Marie-Clémentine de La Tour d'Auvergne-Lauraguais épouse Schwartzenberger"
STREETS = (
    "rue de la République", "allée des Tilleuls", "rue Nationale", "avenue Saint-Rémy",
    "rue du Maréchal Foch", "cité Bellevue", "rue des Mineurs", "place Robert Schuman",
    "rue de Sarreguemines", "chemin des Vignes",
)
COMMUNES = (
    ("Forbach", True), ("Stiring-Wendel", False), ("Behren-lès-Forbach", True),
    ("Freyming-Merlebach", False), ("Petite-Rosselle", False), ("Farébersviller", True),
)
RESERVATAIRES = (
    "Préfecture de la Moselle (contingent préfectoral)",
    "Action Logement Services",
    "Commune de Forbach",
    "Vivest (contingent propre)",
)
HOUSEHOLDS = (
    ("Personne seule (1 pers.)", 1, "1"),
    ("Couple sans enfant (2 pers.)", 2, "1.5"),
    ("Parent isolé + 1 enfant (2 pers.)", 2, "1.3"),
    ("Couple + 1 enfant (3 pers.)", 3, "1.8"),
    ("Couple + 2 enfants (4 pers.)", 4, "2.1"),
    ("Parent isolé + 3 enfants (4 pers.)", 4, "1.9"),
)
TYPOLOGIES = ("T1", "T2", "T3", "T4", "T5")
# Allowed typologies by household size (charter table, simplified for the sample).
ALLOWED = {1: ["T1", "T2"], 2: ["T1", "T2", "T3"], 3: ["T2", "T3"], 4: ["T3", "T4"]}
CEILINGS_PLUS_2026 = {1: Decimal("24316.00"), 2: Decimal("32473.00"),
                      3: Decimal("39051.00"), 4: Decimal("47145.00")}
NON_ATTRIBUTION_REASONS = (
    "Un candidat mieux classé a été retenu.",
    "Logement inadapté à la composition du ménage (sous-occupation).",
    "Pièces justificatives manquantes ou irrégulières.",
)

# What the commission wrote when it decided against a check (check, status).
JUSTIFICATIONS = {
    ("solvency", "fail"): "Garantie Visale accordée et APL attendue de 215 € : la "
                          "commission estime la charge supportable.",
    ("solvency", "unknown"): "Factures d'énergie du logement estimées par le bailleur à "
                             "55 € par mois : la charge reste supportable.",
    ("typology", "fail"): "Assistante maternelle agréée accueillant deux enfants : "
                          "adaptation de typologie retenue.",
    ("ceiling", "unknown"): "Plafond PLAI de l'année non publié : revenu vérifié sous le "
                            "plafond PLAI de l'année précédente.",
    ("ceiling", "fail"): "Dépassement inférieur à 1 % dû à une prime exceptionnelle.",
    ("typology", "unknown"): "Composition du ménage vérifiée en séance sur le livret de "
                             "famille.",
}

LETTERHEAD = Letterhead(
    landlord="Vivest",
    agency="Agence de Forbach",
    address="12 avenue Saint-Rémy\n57600 Forbach",
    city="Forbach",
)


def _nur(rng: random.Random, seq: int) -> str:
    yy, mm = rng.randint(22, 25), rng.randint(1, 12)
    return f"057{yy:02d}{mm:02d}{seq:05d}A57{rng.randint(10, 99)}"


def _checks(rng: random.Random, size: int, typology: str, financing: str,
            *, over_ceiling: bool, solvency: str) -> dict[str, dict[str, Any]]:
    ceiling = CEILINGS_PLUS_2026[size]
    if financing == "PLAI":
        ceiling = (ceiling * Decimal("0.55")).quantize(Decimal("1.00"))
    income = (ceiling * Decimal(rng.randint(112, 125) if over_ceiling else rng.randint(35, 95))
              / 100).quantize(Decimal("1.00"))
    category = min(size, 4) if size > 1 else 1
    effort = {"pass": Decimal(rng.randint(180, 299)), "fail": Decimal(rng.randint(361, 420)),
              "unknown": Decimal(rng.randint(250, 330))}[solvency] / 1000
    rav = Decimal(rng.randint(1050, 2400)) / 100 if solvency != "fail" else Decimal("7.85")
    months = rng.randint(2, 30)
    allowed = ALLOWED[size]
    typology_ok = typology in allowed
    return {
        CEILING: {
            "status": "fail" if over_ceiling else "pass",
            "explanation": (
                f"Revenu fiscal de référence {format_money(income)} "
                f"{'supérieur' if over_ceiling else 'inférieur ou égal'} au plafond "
                f"{financing} catégorie {category} ({format_money(ceiling)})."
            ),
            "reference": "Arrêté du 21 décembre 2025 ; art. R441-1 CCH",
            "category": category,
            "ceiling": str(ceiling),
            "income": str(income),
            "financing": financing,
        },
        SOLVENCY: {
            "status": solvency,
            "explanation": (
                "Énergie non renseignée : taux d'effort calculé sans les factures d'énergie."
                if solvency == "unknown" else
                f"Taux d'effort {format_percent(effort)} et reste à vivre "
                f"{format_money(rav)}/jour/UC."
            ),
            "reference": "Charte des attributions §2 ; arrêté du 10 mars 2011",
            "consumption_units": {1: "1.0", 2: "1.5", 3: "1.8", 4: "2.1"}[size],
            "effort_rate": f"{effort:.4f}",
            "remaining_per_day_per_unit": f"{rav:.2f}",
            "floor": "10.00" if effort < Decimal("0.30") else "20.00",
        },
        TYPOLOGY: {
            "status": "pass" if typology_ok else "fail",
            "explanation": f"{typology} pour {counted(size, 'personne')} : "
                           f"{'adapté' if typology_ok else 'hors du tableau de la charte'}.",
            "reference": "Charte des attributions §2 ; art. R441-3 CCH",
            "allowed": allowed,
            "typology": typology,
        },
        WAITING_TIME: {
            "status": "pass",
            "explanation": f"Demande déposée depuis {months} mois (seuil : 18 mois).",
            "reference": "Arrêté préfectoral de la Moselle (délai anormalement long)",
            "months": months,
            "threshold_months": 18,
            "abnormally_long": months >= 18,
        },
    }


def _members() -> tuple[Member, ...]:
    def admin(name: str, capacity: str = "Administratrice désignée par le CA",
              attendance: Attendance = Attendance.PRESENT, proxy: str = "") -> Member:
        return Member(name, capacity, True, attendance, proxy)

    return (
        admin("Mme Brigitte Kieffer", "Administratrice désignée par le CA, présidente"),
        admin("M. Alain Wagner", "Administrateur désigné par le CA"),
        admin("Mme Sylvie Roth"),
        admin("M. Patrick Hoffmann", "Administrateur désigné par le CA",
              Attendance.REPRESENTED, "Mme Sylvie Roth"),
        admin("Mme Yasmina Belkacem", "Administratrice, représentante des locataires"),
        admin("M. Daniel Jung", "Administrateur désigné par le CA", Attendance.ABSENT),
        Member("M. Laurent Becker", "Représentant du maire de Forbach", True,
               Attendance.PRESENT),
        Member("Mme Claire Fournier", "Représentante du préfet de la Moselle", True,
               Attendance.ABSENT),
        Member("M. Olivier Zimmermann", "Représentant du président de la CA Forbach "
               "Porte de France", True, Attendance.PRESENT),
        Member("Mme Nathalie Gross", "Action Logement Services (réservataire)", False,
               Attendance.PRESENT),
    )


def sample_minutes_data(n_dwellings: int = 4, candidates_per_dwelling: int = 3,
                        *, seed: int = 2026) -> MinutesData:
    """A closed session with `n_dwellings` dwellings and their candidates.

    Cycles through every decision kind, a failed check decided against with a
    justification, a DALO exception to the three-candidate rule and a long name.
    """
    rng = random.Random(seed)
    exams: list[DwellingExamination] = []
    seq = 100
    for d in range(n_dwellings):
        commune, qpv = COMMUNES[d % len(COMMUNES)]
        typology = TYPOLOGIES[(d + 1) % 4]
        surface = Decimal({"T1": 31, "T2": 48, "T3": 67, "T4": 82}[typology]) + d % 5
        financing = ("PLUS", "PLAI", "PLUS", "PLS")[d % 4]
        rent = Decimal(rng.randint(28000, 56000)) / 100
        dwelling = Dwelling(
            reference=f"FOR-{1200 + d:04d}-{rng.randint(1, 40):02d}",
            address=f"{rng.randint(1, 120)} {STREETS[d % len(STREETS)]}, "
                    f"bât. {'ABC'[d % 3]}, apt {rng.randint(1, 40)}",
            commune=commune,
            qpv=None if d % 7 == 6 else qpv,
            typology=typology,
            surface_m2=surface,
            financing=financing,
            rent=rent,
            charges=Decimal(rng.randint(6000, 14000)) / 100,
            energy=None if d % 5 == 4 else Decimal(rng.randint(4000, 9000)) / 100,
            reservataire=RESERVATAIRES[d % len(RESERVATAIRES)],
            floor=("rez-de-chaussée", "1er étage sans ascenseur", "3e étage avec ascenseur")[
                d % 3],
            available_on=date(2026, 4, 1),
        )
        dalo_exception = d % 9 == 5
        count = 1 if dalo_exception else candidates_per_dwelling
        candidates: list[Candidate] = []
        for c in range(count):
            seq += 1
            label, size, _uc = HOUSEHOLDS[(d + c) % len(HOUSEHOLDS)]
            over_ceiling = (3 * d + c) % 11 == 5
            solvency = ("pass", "pass", "fail", "pass", "unknown")[(d + 2 * c) % 5]
            checks = _checks(rng, size, typology, financing, over_ceiling=over_ceiling,
                             solvency=solvency)
            if (d, c) == (1, 1):  # civility not stated: « Madame, Monsieur »
                civility, name, addressee = "", LONG_NAME, LONG_NAME
            else:
                civility, first = rng.choice(FIRST_NAMES)
                addressee = f"{first} {rng.choice(SURNAMES).upper()}"
                name = f"{civility} {addressee}"
            # 7 deliberative members present or represented: never more votes than that
            in_favour, against, abstention = (rng.randint(5, 7), rng.randint(0, 1),
                                              rng.randint(0, 1))
            against = min(against, 7 - in_favour)
            votes = Votes(in_favour, against, min(abstention, 7 - in_favour - against))
            justification = ""
            if over_ceiling:
                decision = Decision(DecisionKind.IRRECEVABILITE,
                                    reason="Ressources supérieures au plafond réglementaire.",
                                    votes=votes)
            elif count == 1:
                decision = Decision(DecisionKind.ATTRIBUTION, votes=votes)
            elif c == 0 and d % 4 == 2:
                decision = Decision(
                    DecisionKind.ATTRIBUTION_SOUS_CONDITION,
                    condition="Avis d'imposition 2025 (revenus 2024) à fournir",
                    deadline=date(2026, 3, 24), votes=votes)
            elif c < 2:
                decision = Decision(DecisionKind.ATTRIBUTION_RANG, rank=c + 1, votes=votes)
            else:
                decision = Decision(DecisionKind.NON_ATTRIBUTION,
                                    reason=NON_ATTRIBUTION_REASONS[d % 3], votes=votes)
            grounds = justification_grounds(
                decision.kind, {name: str(check["status"]) for name, check in checks.items()})
            justification = " ".join(JUSTIFICATIONS[(g.check, g.status)] for g in grounds)
            tie = (d, c) == (3, 0)  # settled by the casting vote of the mayor's deputy
            if tie:
                votes = Votes(4, 4, 0, casting_vote_used=True)
            vote = Vote(votes.in_favour, votes.against, votes.abstention,
                        casting_vote_used=votes.casting_vote_used)
            decision = replace(
                decision, votes=votes, justification=justification,
                justified=tuple(g.sentence for g in grounds),
                vote_sentence=vote_sentence(vote, votes.in_favour,
                                            "M. Laurent Becker" if tie else ""))
            dalo = dalo_exception or (d + c) % 13 == 3
            candidates.append(Candidate(
                nur=_nur(rng, seq),
                name=name,
                civility=civility,
                addressee=addressee,
                household=label,
                checks=checks,
                priority=("Ménage reconnu prioritaire DALO" if dalo else
                          ("Violences conjugales (L441-1 CCH)", "", "",
                           "Logement indigne", "", "Handicap")[(d + c) % 6]),
                dalo=dalo,
                presented_by=dwelling.reservataire,
                filed_on=date(2024, 1 + (seq % 12), 1 + seq % 27),
                decision=decision,
                monthly_resources=Decimal(rng.randint(110000, 320000)) / 100,
                resources_stable=(d + c) % 4 != 3,
                housing_aid=Decimal(rng.randint(0, 30000)) / 100,
                cotation=f"{rng.randint(90, 320)} points",
                postal_address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}\n"
                               f"57600 Forbach",
                previous_offers=(
                    (PreviousOffer(date(2025, 10, 14), "T3, 8 rue des Mineurs, Forbach",
                                   "refusée (logement trop éloigné du lieu de travail)"),)
                    if c == 1 else ()),
            ))
        rule = (CandidateRule(1, True, "Ménage reconnu prioritaire DALO",
                              "Désignation par le préfet au titre du DALO (décision de la "
                              "commission de médiation du 12 janvier 2026).")
                if dalo_exception else CandidateRule(count, count >= 3))
        # no event yet: the dwelling is offered to the first attributed candidate
        queue = sorted((c for c in candidates if c.decision and c.decision.kind.is_attribution),
                       key=lambda c: c.decision.rank or 0 if c.decision else 0)
        exams.append(DwellingExamination(dwelling, rule, tuple(candidates),
                                         offer_holder=queue[0].nur if queue else ""))

    members = _members()
    deliberative = [m for m in members if m.deliberative]
    present = [m for m in deliberative if m.attendance is not Attendance.ABSENT]
    required = len(deliberative) // 2 + 1
    return MinutesData(
        letterhead=LETTERHEAD,
        session=SessionInfo(
            commission="CALEOL de l'agence de Forbach",
            date=date(2026, 3, 10),
            place="Agence Vivest de Forbach, salle du conseil",
            kind=SessionKind.PHYSICAL,
            start=time(14, 0),
            end=time(16, 45),
            reference="2026-10",
            convened=time(14, 0),
        ),
        members=members,
        quorum=Quorum(len(deliberative), len(present), required, len(present) >= required),
        president="Mme Brigitte Kieffer",
        secretary="M. Thomas Lefèvre",
        dwellings=tuple(exams),
        occupancy_reviews=(
            OccupancyReview("M. et Mme SCHMITT", "FOR-0311-12, 4 rue des Mineurs, Forbach (T5)",
                            "Sous-occupation : T5 occupé par deux personnes",
                            "Avis favorable à une proposition de T3 dans le même quartier",
                            "Les locataires souhaitent rester à Forbach."),
            OccupancyReview("Mme DIALLO", "FOR-0877-03, 2 cité Bellevue, Behren-lès-Forbach (T2)",
                            "Sur-occupation : T2 occupé par cinq personnes",
                            "Avis favorable à une mutation prioritaire vers un T4"),
            OccupancyReview("M. KLEIN", "STW-0140-01, 9 rue Nationale, Stiring-Wendel (T3 PMR)",
                            "Logement adapté PMR qui n'est plus nécessaire au ménage",
                            "Avis défavorable : le locataire reste en situation de handicap",
                            "Certificat médical du 2 février 2026."),
        ),
    )
