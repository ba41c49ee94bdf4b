"""How references cite the landlord's own attribution charter and CUS.

caleol serves any social landlord: the shipped charter (Vivest's,
docs/reference/charte-des-attributions.txt) is only the model of the defaults, and
its section numbers exist in no other landlord's charter. So a rule cites the law and
« la charte d'attribution du bailleur » (or « la CUS du bailleur ») with the subject it
relies on, and a document printed for one landlord names that landlord's charter
(`name_landlord`): a legal record never cites a charter its landlord did not adopt.
"""

from __future__ import annotations

CHARTER = "charte d'attribution du bailleur"
CUS = "CUS du bailleur"

# References stored in the check snapshots of candidacies presented before the rules
# cited the charter by subject; a document printed today names the landlord's charter
# instead of the model's.
LEGACY: tuple[tuple[str, str], ...] = (
    ("Charte d'attribution Vivest §2 « Une typologie adaptée » ; art. R441-3 CCH",
     f"Art. R441-3 CCH ; {CHARTER} (typologie adaptée)"),
    ("Charte d'attribution Vivest §2 « La solvabilité des ménages » ; "
     "arrêté du 10 mars 2011 ; art. R441-3-1 CCH",
     f"Arrêté du 10 mars 2011 ; art. R441-3-1 CCH ; {CHARTER} (solvabilité des ménages)"),
    ("Art. R441-3 CCH ; charte d'attribution Vivest §2 « Le nombre de candidats »",
     f"Art. R441-3 CCH ; {CHARTER} (nombre de candidats)"),
    ("Charte d'attribution Vivest §2 « Les critères de priorité » ; arrêtés préfectoraux "
     "(délai anormalement long, art. L441-1-4 CCH)",
     f"Arrêtés préfectoraux (délai anormalement long, art. L441-1-4 CCH) ; {CHARTER} "
     "(critères de priorité)"),
    (" ; charte des attributions §2", ""),
)

_ARTICLES = (("Les ", "des "), ("Le ", "du "), ("La ", "de la "), ("L'", "de l'"),
             ("L’", "de l’"))
_VOWELS = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ")


def of_landlord(name: str) -> str:
    """« de Vivest », « d'Alliade Habitat », « du Foyer Rémois », « des Foyers… »."""
    name = name.strip()
    for article, contracted in _ARTICLES:
        if name.startswith(article) and len(name) > len(article):
            return contracted + name[len(article):]
    if name[:1].upper() in _VOWELS:
        return f"d'{name}"
    return f"de {name}"


def name_landlord(reference: str, landlord: str) -> str:
    """The reference as printed for `landlord`: « charte d'attribution de <landlord> »
    and « CUS de <landlord> » for the generic phrases (unchanged without a name)."""
    for old, new in LEGACY:
        reference = reference.replace(old, new)
    if not landlord.strip():
        return reference
    of = of_landlord(landlord)
    return (reference.replace(CHARTER, f"charte d'attribution {of}")
            .replace(CHARTER.capitalize(), f"Charte d'attribution {of}")
            .replace(CUS, f"CUS {of}"))
