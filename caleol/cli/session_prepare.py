"""`caleol session create | add-dwelling | add-candidate | remove-candidate | exception |
event`: a séance prepared from the shell, and what happens after it.

Registered by `caleol.cli.session`; every step calls the séance services the window
uses (`caleol.services.sessions`), so the refusals are the same French messages, and
exit 2. Dwellings are named by their reference, demandes by their NUR, commissions
by their number, code or name:

  caleol session create --commission CALEOL-METZ --date 2026-03-10 --time 14:00
  caleol session add-dwelling 12 LOG-00042 --reservataire ALS
  caleol session add-candidate 12 LOG-00042 0572503012345P0057 --reservataire ALS
  caleol session exception 12 LOG-00042 insuffisance --justification "…"
  caleol session event 40 refus --date 2026-03-20 --reason "Logement trop éloigné"
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from caleol.cli.dbtools import add_db_argument
from caleol.errors import ValidationError
from caleol.fr import format_date

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from caleol.settings import Settings

EXCEPTIONS = {"dalo": "dalo", "insuffisance": "insufficient_demand",
              "plai_adapte": "plai_adapte", "pli": "pli", "lli": "lli", "aucune": ""}
EVENTS = ("refus", "condition_remplie", "condition_non_remplie", "bail_signe")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date « {text} » invalide (AAAA-MM-JJ)") from None


def _time(text: str) -> dt.time:
    try:
        hours, minutes = text.strip().replace("h", ":").split(":")
        return dt.time(int(hours), int(minutes or 0))
    except ValueError:
        raise argparse.ArgumentTypeError(f"heure « {text} » invalide (HH:MM)") from None


def register_actions(actions: argparse._SubParsersAction,
                     runner: Callable[[Callable[..., int]], Callable[..., int]]) -> None:
    """Add the preparation sub-commands to `caleol session` (`runner` opens the base)."""

    def action(name: str, help_text: str, func: Callable[..., int]) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        add_db_argument(sub)
        sub.set_defaults(func=runner(func))
        return sub

    create = action("create", "créer une séance (en préparation)", run_create)
    create.add_argument("--commission", required=True, metavar="NOM_OU_NUMÉRO",
                        help="commission : numéro, code ou nom")
    create.add_argument("--date", required=True, type=_date, metavar="AAAA-MM-JJ",
                        help="jour de la séance")
    create.add_argument("--time", required=True, type=_time, metavar="HH:MM",
                        help="heure d'ouverture prévue")
    create.add_argument("--place", default="", metavar="TEXTE", help="lieu de la séance")
    create.add_argument("--secretary", default="", metavar="NOM",
                        help="secrétaire de séance (nommé au procès-verbal)")
    create.add_argument("--remote", action="store_true",
                        help="séance dématérialisée (si le règlement intérieur le prévoit)")
    create.add_argument("--json", action="store_true", help='sortie JSON : {"id": N}')

    dwelling = action("add-dwelling", "mettre un logement à l'ordre du jour", run_add_dwelling)
    dwelling.add_argument("session_id", metavar="SÉANCE", type=int, help="numéro de la séance")
    dwelling.add_argument("reference", metavar="RÉFÉRENCE", help="référence du logement")
    dwelling.add_argument("--reservataire", metavar="NOM",
                          help="réservataire du contingent (code ou nom ; défaut : celui du "
                               "logement)")
    dwelling.add_argument("--orientation-date", type=_date, metavar="AAAA-MM-JJ",
                          help="date d'orientation vers le réservataire (défaut : aujourd'hui)")

    candidate = action("add-candidate", "présenter une demande pour un logement",
                       run_add_candidate)
    _candidate_arguments(candidate)
    candidate.add_argument("--rank", type=int, metavar="N", help="rang proposé (défaut : dernier)")
    candidate.add_argument("--reservataire", metavar="NOM",
                           help="réservataire qui présente le candidat (code ou nom ; défaut : "
                                "le bailleur) ; sa notice ne liste que ses candidats")
    remove = action("remove-candidate", "retirer un candidat avant la séance",
                    run_remove_candidate)
    _candidate_arguments(remove)

    exception = action("exception", "motiver moins de trois candidats pour un logement",
                       run_exception)
    exception.add_argument("session_id", metavar="SÉANCE", type=int, help="numéro de la séance")
    exception.add_argument("reference", metavar="RÉFÉRENCE", help="référence du logement")
    exception.add_argument("kind", metavar="EXCEPTION", choices=list(EXCEPTIONS),
                           help="dalo, insuffisance (de demandes dans le SNE), plai_adapte, "
                                "pli, lli ; aucune : retirer l'exception")
    exception.add_argument("--justification", default="", metavar="TEXTE",
                           help="justification (obligatoire pour l'insuffisance de demandes)")

    event = action("event", "enregistrer une suite après la séance (refus, condition, bail)",
                   run_event)
    event.add_argument("candidacy_id", metavar="CANDIDATURE", type=int,
                       help="numéro de la candidature (voir session show)")
    event.add_argument("kind", metavar="SUITE", choices=EVENTS,
                       help=f"suite de la décision : {', '.join(EVENTS[:-1])} ou {EVENTS[-1]}")
    event.add_argument("--date", required=True, type=_date, metavar="AAAA-MM-JJ",
                       help="jour de la suite (refus reçu, pièce fournie, bail signé…)")
    event.add_argument("--reason", default="", metavar="MOTIF",
                       help="motif (texte, ou code d'un motif du catalogue) ; obligatoire "
                            "pour un refus")


def _candidate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session_id", metavar="SÉANCE", type=int, help="numéro de la séance")
    parser.add_argument("reference", metavar="RÉFÉRENCE", help="référence du logement")
    parser.add_argument("nur", metavar="NUR", help="numéro unique de la demande")


def run_create(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions
    from caleol.services.sessions import find

    commission = find.commission_id(engine, args.commission)
    session_id = sessions.create_session(
        engine, commission, args.date, place=args.place,
        kind="remote" if args.remote else "physical", start_time=args.time,
        secretary_name=args.secretary)
    if args.json:
        print(json.dumps({"id": session_id}))
        return 0
    summary = next(s for s in sessions.list_sessions(engine) if s.id == session_id)
    print(f"Séance n° {session_id} créée : {summary.commission}, {format_date(args.date)} à "
          f"{args.time:%H:%M}" + (f", {args.place}" if args.place else "")
          + (" (dématérialisée)" if args.remote else "") + ".")
    return 0


def run_add_dwelling(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions
    from caleol.services.sessions import find

    dwelling = find.dwelling_id(engine, args.reference)
    reservataire = find.reservataire_id(engine, args.reservataire) if args.reservataire \
        else None
    sessions.add_dwelling(engine, args.session_id, dwelling, reservataire_id=reservataire,
                          orientation_date=args.orientation_date)
    print(f"Logement {args.reference} ajouté à l'ordre du jour de la séance "
          f"n° {args.session_id}.")
    return 0


def run_add_candidate(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.cli.session import _candidacy_lines
    from caleol.services import sessions
    from caleol.services.sessions import find

    item = find.agenda_item_id(engine, args.session_id, args.reference)
    demande = find.demande_id(engine, args.nur)
    reservataire = find.reservataire_id(engine, args.reservataire) if args.reservataire \
        else None
    candidacy = sessions.add_candidate(engine, item, demande, reservataire_id=reservataire,
                                       rank=args.rank, settings=settings)
    print(f"Candidature n° {candidacy} : demande {args.nur} présentée pour le logement "
          f"{args.reference}.")
    view = _candidacy(sessions.session_detail(engine, args.session_id, settings), candidacy)
    if view is not None:
        for line in _candidacy_lines(view):
            print(line)
    return 0


def _candidacy(detail: Any, candidacy_id: int) -> Any:
    return next((c for item in detail.agenda for c in item.candidacies
                 if c.id == candidacy_id), None)


def run_remove_candidate(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions
    from caleol.services.sessions import find

    candidacy = find.candidacy_id(engine, args.session_id, args.reference, args.nur)
    sessions.remove_candidate(engine, candidacy)
    print(f"Demande {args.nur} retirée des candidats du logement {args.reference}.")
    return 0


def run_exception(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.rules.candidates import CandidateException
    from caleol.services import sessions
    from caleol.services.sessions import find

    item = find.agenda_item_id(engine, args.session_id, args.reference)
    value = EXCEPTIONS[args.kind]
    sessions.set_candidate_exception(engine, item, value or None, args.justification)
    if value:
        print(f"Exception enregistrée pour le logement {args.reference} : "
              f"{CandidateException(value).label}.")
    else:
        print(f"Exception retirée pour le logement {args.reference}.")
    return 0


def run_event(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions
    from caleol.services.sessions import find

    reason = find.reason_text(engine, args.reason) if args.reason.strip() else ""
    if args.kind == "refus":
        if not reason:
            raise ValidationError("Indiquez le motif du refus (--reason).")
        event = sessions.record_refusal(engine, args.candidacy_id, args.date, reason)
    elif args.kind == "condition_remplie":
        event = sessions.record_condition_met(engine, args.candidacy_id, args.date, reason)
    elif args.kind == "condition_non_remplie":
        event = sessions.record_condition_lapsed(engine, args.candidacy_id, args.date, reason)
    else:
        event = sessions.record_lease_signed(engine, args.candidacy_id, args.date)
    print(event.message or f"Suite enregistrée : {event.kind_label} le "
                           f"{format_date(event.date)}.")
    return 0
