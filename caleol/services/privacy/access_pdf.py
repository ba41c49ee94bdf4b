"""The access-request data (`access.collect_person_data`) as a readable PDF.

Same page template as every caleol document (letterhead, "page x / y", DejaVu
embedded). The PDF shows every field; the audit history lists the changes (who,
when, what) while the before/after images stay in the JSON export, which is the
complete copy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.platypus import Flowable, Spacer

from caleol.fr import format_date, format_short_date
from caleol.services.documents.data import Letterhead
from caleol.services.documents.layout import (
    CONTENT_WIDTH,
    build_pdf,
    data_table,
    key_value_table,
    para,
    styles,
)

HISTORY_ROWS = 400  # beyond this the PDF refers to the JSON export
_MM = 72 / 25.4
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def show(value: Any) -> str:
    """A stored value as a French reader expects it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str) and _DATE.match(value):
        return format_short_date(date.fromisoformat(value))
    if isinstance(value, str) and _DATETIME.match(value):
        moment = datetime.fromisoformat(value)
        return f"{format_short_date(moment.date())} {moment:%H:%M} UTC"
    if isinstance(value, Mapping):
        return " ; ".join(f"{k} : {show(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value) or "—"
    return str(value)


def _pairs(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), show(v)) for k, v in record.items()]


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> Flowable:
    keys = list(columns or rows[0].keys())
    width = CONTENT_WIDTH / _MM / len(keys)
    return data_table(keys, [[show(r.get(k)) for k in keys] for r in rows], [width] * len(keys))


def _section(title: str, body: list[Flowable] | None, empty: str) -> list[Flowable]:
    st = styles()
    return [para(title, st.h2), *(body or [para(empty, st.small)])]


def _snapshot(title: str, snapshot: Any) -> list[Flowable]:
    st = styles()
    if not snapshot:
        return []
    if isinstance(snapshot, Mapping):
        return [para(title, st.small), key_value_table(_pairs(snapshot))]
    return [para(f"{title} : {show(snapshot)}", st.small)]


def _passage(passage: Mapping[str, Any]) -> list[Flowable]:
    st = styles()
    head = {k: v for k, v in passage.items() if not isinstance(v, Mapping | list)}
    story: list[Flowable] = [key_value_table(_pairs(head))]
    decision = passage.get("décision")
    story.append(para(
        "Décision : " + (show(decision) if decision else "aucune décision enregistrée"), st.small
    ))
    if passage.get("suites"):
        story.append(_table(passage["suites"]))
    story += _snapshot("Ménage tel qu'examiné par la commission",
                       passage.get("ménage tel qu'examiné (instantané)"))
    story += _snapshot("Vérifications présentées à la commission",
                       passage.get("vérifications (instantané)"))
    story.append(Spacer(1, 4 * _MM))
    return story


def _demande(entry: Mapping[str, Any]) -> list[Flowable]:
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
                      [f for p in passages for f in _passage(p)] if passages else None,
                      "Jamais présentée en commission.")
    documents = entry["documents signés"]
    story += _section(
        "Documents signés des séances concernées",
        [para("Ces procès-verbaux sont des actes conservés tels que signés ; un extrait "
              "peut être remis sur demande.", st.small),
         _table(documents, ["document n°", "séance n°", "nature", "signé le", "signataire"])]
        if documents else None,
        "Aucun document signé.",
    )
    history = entry["historique des modifications"]
    shown = history[:HISTORY_ROWS]
    body: list[Flowable] | None = None
    if shown:
        body = [_table(shown, ["date", "utilisateur", "table", "ligne n°", "action"])]
        if len(history) > len(shown):
            body.append(para(f"… et {len(history) - len(shown)} autre(s) entrée(s) : voir "
                             "l'export JSON.", st.small))
    story += _section("Historique des modifications (journal d'audit)", body,
                      "Aucune entrée.")
    return story


def render_access_pdf(data: Mapping[str, Any], letterhead: Letterhead) -> bytes:
    """The PDF answer to an access request."""
    st = styles()
    meta = data["demande d'accès"]
    made = datetime.fromisoformat(meta["établi le"])
    story: list[Flowable] = [
        para("Droit d'accès aux données personnelles", st.title),
        para(f"Recherche : « {meta['recherche']} » — établi le {format_date(made.date())}",
             st.subtitle),
        para(
            f"Ce document recense les données que {letterhead.landlord} détient dans son "
            "application de gestion des commissions d'attribution (caleol) sur la personne "
            "recherchée : demandes de logement, composition du ménage, ressources, passages "
            "en commission et décisions, historique des modifications. Ces données ne sont "
            "transmises à aucun tiers par l'application. L'export JSON associé en est la "
            "copie complète (y compris les valeurs avant et après chaque modification).",
            st.body,
        ),
    ]
    demandes = data["demandes"]
    if not demandes:
        story.append(para("Aucune demande de logement ne correspond à cette recherche.",
                          st.body))
    for entry in demandes:
        story += _demande(entry)
    reviews = data["examens d'occupation"]
    if reviews:
        story += _section("Examens de l'occupation des logements", [_table(reviews)], "")
    return build_pdf(
        story,
        letterhead=letterhead,
        title="Droit d'accès aux données personnelles",
        header_right=f"Droit d'accès — {format_short_date(made.date())}",
        footer_left="Document confidentiel : données personnelles",
    ).data
