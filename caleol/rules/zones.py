"""The ceiling zone of a commune, derived from its INSEE code.

The arrêté of 29 July 1987 (annex I, the yearly ceiling tables) has three columns:
« Paris et communes limitrophes », « Île-de-France hors Paris et communes
limitrophes » and « autres régions ». Decisions documented once here:

* **Paris** is the commune 75056 and its twenty arrondissements municipaux
  (75101-75120): a dwelling address is often coded by arrondissement.
* **Communes limitrophes** are the 29 communes whose territory touches Paris's,
  the Bois de Boulogne and the Bois de Vincennes included (they are part of Paris):
  `PARIS_NEIGHBOURS`. **No legal text listing them was found.** The annex I of the
  arrêté of 29 July 1987 (version in force, Légifrance LEGIARTI000048667288) heads
  its column « Paris et communes limitrophes » and lists no commune; the arrêté of
  17 March 1978 « relatif au classement des communes par zones géographiques »
  defines zones I, II and III (its zone I: Paris, the petite couronne and the new
  towns), not this one; no circular naming the communes turned up (searched in
  December 2026: the Légifrance texts as mirrored by legal.tricoteuses.fr, the
  consolidated copies of juri-logement.org, the web at large, OpenFisca-France's
  sources and its pull request #1008 that added them). The list is therefore the
  geographic one: the names are those of the administration's simulator
  (OpenFisca-France, `zone_logement_social`, whose INSEE codes, in the version read,
  are wrong in two places: 93001 and 93006, Aubervilliers and Bagnolet, are
  labelled Bagnolet and Boulogne-Billancourt, and Boulogne-Billancourt's 92012 is
  missing), each code checked here against the Code officiel géographique and each
  commune against the map (11 in the Hauts-de-Seine, 8 in the Seine-Saint-Denis, 10
  in the Val-de-Marne; `tests/rules/test_zones.py` checks every name against the
  shipped communes). A commune nouvelle keeps the code of the commune it absorbed
  (Saint-Denis 93066 since 2025), so the codes stay right. Should a text ever list
  the communes, it replaces this paragraph and the list is checked against it.
* **Île-de-France** is the eight départements 75, 77, 78, 91, 92, 93, 94, 95.
* **Outre-mer**: the arrêté's three zones are those of metropolitan France; the
  départements d'outre-mer have ceilings of their own (not shipped), so their
  communes get `Zone.OUTRE_MER`, for which no table is loaded unless the user
  imports one: the ceiling check then says « inconnu », never a wrong pass.
"""

from __future__ import annotations

import re

from caleol.rules.ceilings import Zone

REFERENCE = "Arrêté du 29 juillet 1987, annexe I (zones des plafonds de ressources)"
PARIS = "75056"
PARIS_ARRONDISSEMENTS = frozenset(f"751{n:02d}" for n in range(1, 21))
PARIS_NEIGHBOURS: dict[str, str] = {
    "92012": "Boulogne-Billancourt",
    "92024": "Clichy",
    "92040": "Issy-les-Moulineaux",
    "92044": "Levallois-Perret",
    "92046": "Malakoff",
    "92049": "Montrouge",
    "92051": "Neuilly-sur-Seine",
    "92062": "Puteaux",
    "92064": "Saint-Cloud",
    "92073": "Suresnes",
    "92075": "Vanves",
    "93001": "Aubervilliers",
    "93006": "Bagnolet",
    "93045": "Les Lilas",
    "93048": "Montreuil",
    "93055": "Pantin",
    "93061": "Le Pré-Saint-Gervais",
    "93066": "Saint-Denis",
    "93070": "Saint-Ouen-sur-Seine",
    "94018": "Charenton-le-Pont",
    "94033": "Fontenay-sous-Bois",
    "94037": "Gentilly",
    "94041": "Ivry-sur-Seine",
    "94042": "Joinville-le-Pont",
    "94043": "Le Kremlin-Bicêtre",
    "94052": "Nogent-sur-Marne",
    "94067": "Saint-Mandé",
    "94069": "Saint-Maurice",
    "94080": "Vincennes",
}
ILE_DE_FRANCE = frozenset({"75", "77", "78", "91", "92", "93", "94", "95"})
OVERSEAS = frozenset({"971", "972", "973", "974", "975", "976", "977", "978"})
_INSEE = re.compile(r"^(\d{2}|2[AB])\d{3}$")


def is_insee_code(code: str) -> bool:
    """Five characters: two digits (or 2A / 2B for Corsica) then three digits."""
    return bool(_INSEE.match(code))


def department_of(insee: str) -> str:
    """The département code as INSEE writes it: « 57 », « 2A », « 974 » (outre-mer: 3 digits).

    Raises:
        ValueError: not a commune code.
    """
    if not is_insee_code(insee):
        raise ValueError(f"« {insee} » n'est pas un code INSEE de commune")
    return insee[:3] if insee.startswith("97") or insee.startswith("98") else insee[:2]


def ceiling_zone(insee: str) -> Zone:
    """The zone of the ceiling tables for the commune `insee` (see the module doc).

    Raises:
        ValueError: not a commune code.
    """
    department = department_of(insee)
    if insee == PARIS or insee in PARIS_ARRONDISSEMENTS or insee in PARIS_NEIGHBOURS:
        return Zone.PARIS_ET_LIMITROPHES
    if department in ILE_DE_FRANCE:
        return Zone.ILE_DE_FRANCE_HORS_PARIS
    if department in OVERSEAS or department.startswith("98"):
        return Zone.OUTRE_MER
    return Zone.AUTRES_REGIONS
