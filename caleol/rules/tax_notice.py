"""Which tax notice the resource ceiling is checked on.

Art. R441-1 CCH and the arrêté of 29 July 1987 (as amended), art. 1 and 3: the
resources compared to the ceiling of year n are the « revenu fiscal de référence de
l'année n-2 » of everyone in the household, i.e. the incomes of n-2 shown on the tax
notice received in n-1 (an examination in 2026 reads the 2025 notice, incomes 2024).
By derogation the incomes of year n-1 are taken when the household asks for it,
typically after a drop in its resources. The landlord's charter (§2) says the same in
short: « sur présentation de l'avis d'imposition n-2 ».

The demande stores the **year of the incomes** (« Année des revenus »); the notice is
dated the year after. Any other year than the one expected (an older notice, incomes
of n-1 the household did not ask for, a year not yet taxed) makes the ceiling check
`unknown` with both years in the explanation: never a comparison on the wrong year.
"""

from __future__ import annotations

REFERENCE = ("Art. R441-1 CCH ; arrêté du 29 juillet 1987 modifié (revenu fiscal de "
             "référence de l'année n-2, n-1 à la demande du ménage)")


def notice_text(income_year: int) -> str:
    """« avis d'imposition 2025 (revenus 2024) »."""
    return f"avis d'imposition {income_year + 1} (revenus {income_year})"


def expected_income_year(examination_year: int, n1_requested: bool) -> int:
    """n-2, or n-1 when the household asks for its incomes of the last year."""
    return examination_year - (1 if n1_requested else 2)


def expected_text(examination_year: int, n1_requested: bool) -> str:
    """What the file should hold, in words, with the derogation when it is not asked."""
    n2 = examination_year - 2
    if n1_requested:
        return (f"l'{notice_text(n2 + 1)}, les revenus de l'année n-1 que le ménage demande "
                "de retenir")
    return (f"l'{notice_text(n2)}, année n-2, ou l'{notice_text(n2 + 1)} si le ménage "
            "demande la prise en compte de ses revenus de l'année n-1 (baisse de ressources)")


def income_year_problem(
    income_year: int | None, examination_year: int, n1_requested: bool
) -> str | None:
    """None when the incomes are of the year the ceiling is checked on; else why the
    check cannot conclude, in French, with the years given and expected."""
    expected = expected_income_year(examination_year, n1_requested)
    wanted = f"Attendu : {expected_text(examination_year, n1_requested)}."
    if income_year is None:
        return ("Année des revenus du revenu fiscal de référence non renseignée : le plafond "
                f"ne peut pas être vérifié. {wanted}")
    if income_year == expected:
        return None
    given = notice_text(income_year)
    given = given[0].upper() + given[1:]
    if income_year < expected and not (n1_requested and income_year == expected - 1):
        return (f"{given} : revenus trop anciens pour un examen en {examination_year}, le "
                f"plafond ne peut pas être vérifié sur ces revenus. {wanted}")
    if income_year == expected - 1:  # n-2 given, the household asked for n-1
        return (f"{given} : le ménage demande la prise en compte de ses revenus "
                f"{expected} (année n-1) ; le plafond ne peut pas être vérifié sans eux. "
                f"{wanted}")
    if income_year == examination_year - 1:  # n-1 given, not asked
        return (f"{given} : les revenus de l'année n-1 ne sont retenus qu'à la demande du "
                "ménage (baisse de ressources), que la demande ne mentionne pas : le "
                f"plafond ne peut pas être vérifié sur ces revenus. {wanted}")
    return (f"{given} : année impossible pour un examen en {examination_year} (revenus "
            f"pas encore imposés). {wanted}")
