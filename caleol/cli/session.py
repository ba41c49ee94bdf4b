"""`caleol session …`: list, show, prepare, hold and close séances from the command line.

Thin on purpose: every step calls `caleol.services.sessions`. A refusal (three-
candidate rule, quorum, what blocks the closing...) is a `CaleolError`: the
dispatcher prints its French list on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from caleol import settings as settings_module
from caleol.cli.dbtools import add_db_argument, database_from_args
from caleol.errors import CaleolError, ValidationError
from caleol.fr import counted, format_date
from caleol.rules.decisions import DecisionKind
from caleol.rules.session_times import format_time

if TYPE_CHECKING:  # the handlers import the services: building the parser stays cheap
    from sqlalchemy import Engine

    from caleol.services import sessions
    from caleol.settings import Settings

STATUS_MARK = {"pass": "conforme", "fail": "NON CONFORME", "unknown": "indéterminé"}
CHECK_TITLES = (("ceiling", "plafond"), ("solvency", "solvabilité"), ("typology", "typologie"),
                ("waiting_time", "ancienneté"))

# `caleol session --help` ends on this example (kept as written: one command a line)
EXAMPLE = """\
Tenir une séance prête depuis le terminal :
  caleol session start 12
  caleol session attend 12 --present 1,2,3,4,5
  caleol session president 12 1
  caleol session decide 40 attribution_rang --rank 1 --unanimous   (numéros : `session show 12`)
  caleol session close 12 --start 14:00 --end 16:10
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "session", help="séances : lister, afficher, préparer, tenir, clore",
        description="Les séances de la commission, de la préparation à la clôture.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="session_command", metavar="ACTION", required=True,
                                    parser_class=type(parser))

    def action(name: str, help_text: str, func: Callable[..., int], *, json_output: bool = False,
               session_id: bool = True) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        if session_id:
            sub.add_argument("session_id", metavar="ID", type=int, help="numéro de la séance")
        add_db_argument(sub)
        if json_output:
            sub.add_argument("--json", action="store_true", help="sortie JSON")
        sub.set_defaults(func=_runner(func))
        return sub

    listing = action("list", "lister les séances", run_list, json_output=True, session_id=False)
    listing.add_argument(  # checked by the service, which names the known statuses
        "--statut", metavar="STATUT",
        help="seulement les séances de ce statut (draft, ready, held, closed, signed)")
    action("show", "afficher une séance (ordre du jour, contrôles, décisions)", run_show,
           json_output=True)
    action("ready", "déclarer la séance prête (règle des trois candidats)", run_ready)
    action("start", "ouvrir la séance (prête → en cours)", run_start)
    attend = action("attend", "enregistrer les présences", run_attend)
    attend.add_argument("--present", metavar="NUMÉROS", default="",
                        help="membres présents (numéros séparés par des virgules)")
    attend.add_argument("--all-present", action="store_true",
                        help="tous les membres convoqués sont présents")
    attend.add_argument("--absent", metavar="NUMÉROS", default="", help="membres absents")
    attend.add_argument("--represented", metavar="MEMBRE:MANDATAIRE", action="append",
                        default=[], help="membre représenté et qui détient son pouvoir (répétable)")
    president = action("president", "désigner le président de séance", run_president)
    president.add_argument("member_id", metavar="MEMBRE", type=int, help="numéro du membre")
    decide = action("decide", "enregistrer la décision sur une candidature", run_decide,
                    session_id=False)
    decide.add_argument("candidacy_id", metavar="CANDIDATURE", type=int,
                        help="numéro de la candidature (voir session show)")
    kinds = [k.value for k in DecisionKind]
    decide.add_argument("kind", metavar="DÉCISION", choices=kinds,
                        help=f"décision : {', '.join(kinds[:-1])} ou {kinds[-1]}")
    decide.add_argument("--rank", metavar="RANG", type=int,
                        help="rang (attribution par ordre de priorité)")
    decide.add_argument("--condition", metavar="TEXTE", default="",
                        help="pièce manquante (condition suspensive)")
    decide.add_argument("--deadline", metavar="AAAA-MM-JJ", type=_date,
                        help="date limite de la condition")
    decide.add_argument("--reason", metavar="CODE", help="motif du catalogue (code)")
    decide.add_argument("--second-reason", metavar="CODE",
                        help="second motif du catalogue (à côté d'un motif qui ne peut "
                             "fonder seul un refus)")
    decide.add_argument("--text", metavar="TEXTE", default="", help="motif en texte libre")
    decide.add_argument("--justification", metavar="TEXTE", default="",
                        help="justification d'une décision contraire à un contrôle non "
                             "conforme ou indéterminé, ou d'un motif qu'un contrôle contredit")
    vote = decide.add_mutually_exclusive_group()
    vote.add_argument("--votes", metavar="P,C,A", type=_votes,
                      help="votes POUR,CONTRE,ABSTENTION (trois nombres)")
    vote.add_argument("--unanimous", action="store_true",
                      help="à l'unanimité des membres présents ou représentés")
    decide.add_argument("--casting-vote", action="store_true",
                        help="partage des voix tranché par la voix prépondérante")
    close = action("close", "clore la séance (la fige) ; sinon liste ce qui l'empêche",
                   run_close)
    close.add_argument("--start", metavar="HH:MM", type=_time,
                       help="heure d'ouverture de la séance (obligatoire si la séance n'est "
                            "pas close le jour même ; sinon : celle de l'ouverture)")
    close.add_argument("--end", metavar="HH:MM", type=_time,
                       help="heure de fin de la séance (obligatoire si la séance n'est pas "
                            "close le jour même ; sinon : l'heure actuelle)")
    from caleol.cli.session_prepare import register_actions  # preparation, events

    register_actions(actions, _runner)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date « {text} » invalide (AAAA-MM-JJ)") from None


def _time(text: str) -> dt.time:
    hours, sep, minutes = text.strip().replace("h", ":").partition(":")
    if sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
        try:
            return dt.time(int(hours), int(minutes))
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"heure « {text} » invalide (HH:MM, ex. 14:05)")


def _votes(text: str) -> tuple[int, int, int]:
    parts = text.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(
            f"votes « {text} » invalides : trois entiers POUR,CONTRE,ABSTENTION"
        )
    return int(parts[0]), int(parts[1]), int(parts[2])


def _ids(text: str) -> list[int]:
    try:
        return [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise ValidationError(f"Liste de membres invalide « {text} » (ex. 1,2,5).") from None


def _runner(func: Callable[[Engine, Settings, argparse.Namespace], int]) -> Callable[..., int]:
    def run(args: argparse.Namespace) -> int:
        from caleol.db.engine import open_database, sqlite_path

        url = database_from_args(args)
        path = sqlite_path(url)
        if path is not None and not path.exists():
            raise CaleolError(f"Base de données introuvable : {path}")
        engine = open_database(url, upgrade=False)
        try:
            return func(engine, settings_module.load(), args)
        finally:
            engine.dispose()

    return run


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _print_json(value: Any) -> None:
    data = (dataclasses.asdict(value)
            if dataclasses.is_dataclass(value) and not isinstance(value, type) else value)
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable)
    sys.stdout.write(text + "\n")


def run_list(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions

    rows = sessions.list_sessions(engine, status=args.statut)
    if args.json:
        _print_json([dataclasses.asdict(r) for r in rows])
        return 0
    if not rows:
        print("Aucune séance.")
    for r in rows:
        print(f"{r.id:>5}  {format_date(r.date):<20} {r.status_label:<15} {r.commission} — "
              f"{counted(r.dwellings, 'logement')}, {counted(r.candidacies, 'candidature')}, "
              f"{counted(r.decisions, 'décision')}")
    return 0


def _candidacy_lines(c: sessions.CandidacyView) -> list[str]:
    checks = " ; ".join(
        f"{title} {STATUS_MARK.get(c.checks.get(name, {}).get('status', ''), '—')}"
        for name, title in CHECK_TITLES
    )
    lines = [f"    [{c.id}] rang {c.proposed_rank} — {c.nur} {c.name} "
             f"({c.household.get('summary', '')})" + (f" — proposé par {c.proposed_by}"
                                                      if c.proposed_by else ""),
             f"        contrôles : {checks}"]
    if c.decision is not None:
        d = c.decision
        grounds = " ; ".join(c.sentence for c in d.justified_checks)
        extra = [f"rang {d.rank}" if d.rank else "", d.condition,
                 f"avant le {format_date(d.deadline)}" if d.deadline else "", d.reason,
                 f"justification ({grounds}) : {d.justification}" if d.justification
                 and grounds else (f"justification : {d.justification}"
                                   if d.justification else ""),
                 d.vote_sentence or "vote non indiqué"]
        lines.append("        décision : " + " — ".join([d.kind_label, *[e for e in extra if e]]))
    for event in c.events:
        lines.append(f"        suite : {event.kind_label} le {format_date(event.date)}"
                     + (f" ({event.reason})" if event.reason else ""))
    return lines


def run_show(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.db.models.enums import SessionStatus
    from caleol.services import sessions

    detail = sessions.session_detail(engine, args.session_id, settings)
    if args.json:
        _print_json(detail)
        return 0
    s = detail.summary
    print(f"Séance n° {s.id} — {s.commission} — {format_date(s.date)}"
          + (f" — {s.place}" if s.place else "") + f" — {s.status_label}")
    if detail.president:
        print(f"Présidence de séance : {detail.president}")
    print(f"Quorum : {detail.quorum.explanation}")
    print("Membres :")
    for a in detail.attendance:
        vote = "délibérative" if a.deliberative else "consultative"
        proxy = f", pouvoir à {a.proxy_name}" if a.proxy_name else ""
        print(f"  [{a.member_id}] {a.name} ({a.capacity_label}, voix {vote}) : "
              f"{a.status_label}{proxy}")
    print("Ordre du jour :")
    for item in detail.agenda:
        rule = item.candidate_rule
        flag = "" if rule.get("status") == "pass" else "  ⚠ BLOQUANT"
        print(f"  Logement {item.reference} — {item.address}, {item.commune} — {item.typology} "
              f"{item.financing}" + (f" — réservataire : {item.reservataire}"
                                     if item.reservataire else ""))
        print(f"    {rule.get('explanation', '')}{flag}")
        for candidacy in item.candidacies:
            for line in _candidacy_lines(candidacy):
                print(line)
    for review in detail.occupation_reviews:
        print(f"Examen d'occupation : {review.tenant_name} — {review.motive_label} — "
              f"avis : {review.opinion or 'à rendre'}")
    if s.status in (SessionStatus.DRAFT.value, SessionStatus.READY.value):
        problems = sessions.ready_problems(engine, s.id)
        if problems:
            print("Ce qui empêche la séance d'être prête :")
            for problem in problems:
                print(f"  - {problem}")
    return 0


def run_ready(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions

    sessions.mark_ready(engine, args.session_id, settings)
    print(f"Séance n° {args.session_id} prête.")
    return 0


def run_start(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions

    sessions.start_session(engine, args.session_id, settings)
    print(f"Séance n° {args.session_id} ouverte.")
    return 0


def run_attend(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions

    changes: list[sessions.AttendanceChange] = []
    if args.all_present:
        detail = sessions.session_detail(engine, args.session_id, settings)
        changes += [sessions.AttendanceChange(a.member_id, "present") for a in detail.attendance]
    changes += [sessions.AttendanceChange(i, "present") for i in _ids(args.present)]
    changes += [sessions.AttendanceChange(i, "absent") for i in _ids(args.absent)]
    for pair in args.represented:
        member, _, proxy = pair.partition(":")
        if not (member.strip().isdigit() and proxy.strip().isdigit()):
            raise ValidationError(f"« {pair} » : écrivez MEMBRE:MANDATAIRE (ex. 4:1).")
        changes.append(sessions.AttendanceChange(int(member), "represented", int(proxy)))
    if not changes:
        raise ValidationError("Indiquez --present, --all-present, --absent ou --represented.")
    quorum = sessions.record_attendance(engine, args.session_id, changes, settings)
    print(quorum.explanation)
    return 0


def run_president(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions

    sessions.set_president(engine, args.session_id, args.member_id)
    president = sessions.session_detail(engine, args.session_id, settings).president
    print(f"Présidence de séance : {president}.")
    return 0


def run_decide(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions

    reason = sessions.reason_id(engine, args.reason) if args.reason else None
    second = sessions.reason_id(engine, args.second_reason) if args.second_reason else None
    outcome = sessions.record_decision(
        engine, args.candidacy_id, args.kind, rank=args.rank, condition=args.condition,
        deadline=args.deadline, reason_id=reason, second_reason_id=second,
        reason_text=args.text, justification=args.justification, votes=args.votes,
        unanimous=args.unanimous, casting_vote_used=args.casting_vote, settings=settings,
    )
    print(f"Décision enregistrée : {outcome.decision.kind_label}."
          + (f" {outcome.decision.vote_sentence}" if outcome.decision.vote_sentence else ""))
    for warning in outcome.warnings:
        sys.stderr.write(f"Attention : {warning}\n")
    return 0


def run_close(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    from caleol.services import sessions

    outcome = sessions.close_session(engine, args.session_id, settings,
                                     start_time=args.start, end_time=args.end)
    detail = sessions.session_detail(engine, args.session_id, settings)
    held = ""
    if detail.start_time is not None and detail.end_time is not None:
        held = (f" (tenue le {format_date(detail.summary.date)} de "
                f"{format_time(detail.start_time)} à {format_time(detail.end_time)})")
    print(f"Séance n° {args.session_id} close{held} : elle ne peut plus être modifiée.")
    if outcome.backup is not None:
        print(f"Sauvegarde : {outcome.backup}")
    for warning in outcome.warnings:
        sys.stderr.write(f"Attention : {warning}\n")
    return 0
