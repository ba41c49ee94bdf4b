"""The access-request data (`access.collect_person_data`) as a readable PDF.

Same page template as every caleol document (letterhead, "page x / y", DejaVu
embedded). Plain French for the person (RGPD art. 12): labels rather than keys,
amounts as « 1 873,42 € », dates as « 3 décembre 2026 », each check of a séance as a
sentence, the audit history as what changed and when (never who in the office did
it, nor the program's table names). The JSON export is the complete copy, with the
values recorded before and after each change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from reportlab.platypus import Flowable, Spacer

from caleol.fr import PARIS, format_date, format_money
from caleol.rules.charter import name_landlord
from caleol.services.documents.data import Letterhead
from caleol.services.documents.layout import (
    CONTENT_WIDTH,
    data_table,
    key_value_table,
    para,
    styles,
)
from caleol.services.documents.pages import build_pdf
from caleol.services.privacy.access_labels import check_sentence

HISTORY_ROWS = 400  # beyond this the PDF refers to the JSON export
_MM = 72 / 25.4
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_UNIT = re.compile(r"\s*\((€|€/mois)\)$")
# Keys printed elsewhere than in the tables, or not meant for the person.
NESTED = ("décision", "suites", "ménage tel qu'examiné (instantané)",
          "vérifications (instantané)")


def label(key: str) -> str:
    """`montant mensuel (€)` → `Montant mensuel` (the value carries the unit)."""
    text = _UNIT.sub("", key)
    return text[:1].upper() + text[1:]


def show(value: Any, key: str = "") -> str:
    """A stored value as a French reader expects it; `key` tells amounts apart."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    unit = _UNIT.search(key)
    if unit and not isinstance(value, list | tuple | Mapping):
        try:
            amount = format_money(Decimal(str(value)), places=0 if isinstance(value, int) else 2)
        except InvalidOperation:
            return str(value)
        return amount + (" par mois" if unit[1] == "€/mois" else "")
    if isinstance(value, str) and _DATE.match(value):
        return format_date(date.fromisoformat(value))
    if isinstance(value, str) and _DATETIME.match(value):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(PARIS)
        return f"{format_date(moment.date())} à {moment:%H} h {moment:%M}"
    if isinstance(value, Mapping):
        return " ; ".join(f"{label(str(k))} : {show(v, str(k))}" for k, v in value.items()
                          if v not in (None, "")) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value) or "—"
    return str(value)


def _pairs(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(label(str(k)), show(v, str(k))) for k, v in record.items()]


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> Flowable:
    keys = list(columns or rows[0].keys())
    width = CONTENT_WIDTH / _MM / len(keys)
    return data_table([label(k) for k in keys], [[show(r.get(k), k) for k in keys]
                                                 for r in rows], [width] * len(keys))


def _section(title: str, body: list[Flowable] | None, empty: str) -> list[Flowable]:
    st = styles()
    return [para(title, st.h2), *(body or [para(empty, st.small)])]


def _passage(passage: Mapping[str, Any], landlord: str) -> list[Flowable]:
    st = styles()
    head = {k: v for k, v in passage.items() if k not in NESTED}
    story: list[Flowable] = [key_value_table(_pairs(head))]
    decision = passage.get("décision")
    if decision:
        story += [para("Décision de la commission", st.small),
                  key_value_table(_pairs({k: v for k, v in decision.items()
                                          if v not in (None, "")}))]
    else:
        story.append(para("Aucune décision enregistrée.", st.small))
    if passage.get("suites"):
        story += [para("Suites données", st.small), _table(passage["suites"])]
    household = passage.get("ménage tel qu'examiné (instantané)")
    if household:
        story += [para("Ménage tel qu'examiné par la commission", st.small),
                  key_value_table(_pairs(household))]
    checks = passage.get("vérifications (instantané)") or []
    if checks:
        story.append(para("Vérifications présentées à la commission", st.small))
        for check in checks:
            story.append(para(check_sentence(check), st.body))
            if check.get("référence"):
                reference = name_landlord(check["référence"], landlord)
                story.append(para(f"Référence : {reference}", st.small))
    story.append(Spacer(1, 4 * _MM))
    return story


def _demande(entry: Mapping[str, Any], landlord: str) -> list[Flowable]:
    st = styles()
    fields = entry["demande"]
    story: list[Flowable] = [
        para(f"Demande {fields['NUR']} (trouvée comme {entry['trouvée comme']})", st.h1),
        key_value_table(_pairs(fields)),
    ]
    story += _section("Ménage", [_table(entry["ménage"])] if entry["ménage"] else None,
                      "Aucune personne enregistrée.")
    story += _section("Ressources", [_table(entry["ressources"])] if entry["ressources"]
                      else None, "Aucune ressource enregistrée.")
    story += _section("Critères de priorité et communes souhaitées", [
        para("Critères : " + show(entry["critères de priorité"]), st.body),
        para("Communes : " + show(entry["communes souhaitées"]), st.body),
    ], "")
    passages = entry["passages en commission"]
    story += _section("Passages en commission",
                      [f for p in passages for f in _passage(p, landlord)] if passages else None,
                      "Jamais présentée en commission.")
    documents = entry["documents signés"]
    story += _section(
        "Documents signés des séances concernées",
        [para("Ces procès-verbaux sont des actes conservés tels que signés ; un extrait "
              "peut être remis sur demande.", st.small),
         _table(documents, ["document n°", "séance n°", "nature", "signé le"])]
        if documents else None,
        "Aucun document signé.",
    )
    history = entry["historique des modifications"]
    shown = history[:HISTORY_ROWS]
    body: list[Flowable] | None = None
    if shown:
        body = [_table(shown, ["date", "élément", "action"])]
        more = len(history) - len(shown)
        if more:
            body.append(para(f"… et {more} autre{'s' if more > 1 else ''} "
                             f"entrée{'s' if more > 1 else ''} : voir l'export JSON.",
                             st.small))
    story += _section("Historique des modifications", body, "Aucune modification "
                      "enregistrée.")
    return story


def render_access_pdf(data: Mapping[str, Any], letterhead: Letterhead) -> bytes:
    """The PDF answer to an access request."""
    st = styles()
    meta = data["demande d'accès"]
    made = datetime.fromisoformat(meta["établi le"]).astimezone(PARIS)
    story: list[Flowable] = [
        para("Droit d'accès aux données personnelles", st.title),
        para(f"Recherche : « {meta['recherche']} » — établi le {format_date(made.date())}",
             st.subtitle),
        para(
            f"Ce document recense les données que {letterhead.landlord} détient dans son "
            "application de gestion des commissions d'attribution sur la personne "
            "recherchée : demandes de logement, composition du ménage, ressources, passages "
            "en commission et décisions, historique des modifications. Ces données ne sont "
            "transmises à aucun tiers par l'application. L'export au format JSON en est la "
            "copie complète, lisible par un autre logiciel (il donne en plus les valeurs "
            "enregistrées avant et après chaque modification).",
            st.body,
        ),
    ]
    demandes = data["demandes"]
    if not demandes:
        story.append(para("Aucune demande de logement ne correspond à cette recherche.",
                          st.body))
    for entry in demandes:
        story += _demande(entry, letterhead.landlord)
    reviews = data["examens d'occupation"]
    if reviews:
        story += _section("Examens de l'occupation des logements", [_table(reviews)], "")
    return build_pdf(
        story,
        letterhead=letterhead,
        title="Droit d'accès aux données personnelles",
        header_right=f"Droit d'accès — {format_date(made.date())}",
        footer_left="Document confidentiel : données personnelles",
    ).data
