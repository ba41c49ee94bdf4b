"""Every `caleol … --help` is French, down to the last sub-command.

`caleol session --help` ended on an English epilog (« Holding a ready séance from the
shell: »), `caleol export` named its positional `what` in its errors and `--year YEAR`,
`--rank RANK` showed English placeholders. The walk below reads every parser of the
tree: its description, epilog, each argument's help and the name it shows in the usage
line and in errors (metavar, or the dest of a positional), and rejects common English
words. What the user types is not text: the option strings, the sub-command names and
the values of a choice, and what is quoted as code (`…`, {…} JSON, '…' shell quotes).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from caleol.cli import build_parser
from caleol.db.models.enums import SessionStatus

# Common English words that have no French homograph (so not « a », « on », « an »,
# « or », « date », « source », « table », « session », « usage », « argument »,
# « close », « report »…), and the English placeholders argparse would derive from
# option names (YEAR, RANK, what, kind…).
_ENGLISH_WORDS = """
    the and of from with for this that these those is be been by in into to not only
    each every when which will can must should shell holding ready your you it its if
    then than there here file files folder path name number value values output input
    print write read create show list set use using default optional required
    positional help year years rank reason text deadline seed what kind how see also
    example examples database member members candidate candidates dwelling dwellings
    sign signed open closed start end time day days month months new old other all
    yes no
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())

# Code, not prose: `…`, '…', {…} (JSON, two levels) and names such as
# docs/guide.md, retention_months, @etalab/decoupage-administratif.
_CODE = re.compile(r"`[^`]*`|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\}"
                   r"|[\w@-]*[_/@.][\w@.-]*\w")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


def _parsers(parser: argparse.ArgumentParser, path: str) -> Iterator[
        tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def _typed_words(parser: argparse.ArgumentParser) -> set[str]:
    """What the user types anywhere in the tree: option strings, command names, choices."""
    typed: set[str] = set()
    for _path, p in _parsers(parser, "caleol"):
        for action in p._actions:
            for option in action.option_strings:
                typed.update(w.lower() for w in _WORD.findall(option))
            if action.choices:
                for choice in action.choices:
                    typed.update(w.lower() for w in _WORD.findall(str(choice)))
    # `session list --statut` takes the statuses' stored names (checked by the service)
    typed.update(status.value for status in SessionStatus)
    return typed


def _texts(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text a parser shows the user."""
    yield "description", parser.description or ""
    yield "epilog", parser.epilog or ""
    for action in parser._actions:
        where = "/".join(action.option_strings) or str(action.dest)
        if action.help not in (None, argparse.SUPPRESS):
            yield f"{where} help", str(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"{choice.dest} help", str(choice.help or "")
        metavar = action.metavar
        if metavar is None and not action.choices and action.nargs != 0:
            # argparse's default placeholder: DEST for an option, dest for a positional
            metavar = action.dest.upper() if action.option_strings else action.dest
        elif metavar is None and not action.option_strings and not isinstance(
                action, argparse._SubParsersAction):
            metavar = action.dest  # a positional with choices is named by its dest in errors
        if isinstance(metavar, str) and metavar != argparse.SUPPRESS:
            yield f"{where} metavar", metavar


def english_words(text: str, typed: set[str]) -> list[str]:
    text = _CODE.sub(" ", text)
    words = (w.lower() for w in _WORD.findall(text))
    return [w for w in words if w in ENGLISH and w not in typed]


def _all_pieces() -> list[tuple[str, str, str]]:
    parser = build_parser()
    return [(path, where, text) for path, p in _parsers(parser, "caleol")
            for where, text in _texts(p)]


def test_the_check_finds_english() -> None:
    """The check itself: it catches the epilog that was there, not the typed names."""
    typed = {"session", "start", "show"}
    assert english_words("Holding a ready séance from the shell:", typed) == [
        "holding", "ready", "from", "the", "shell"]
    assert english_words("caleol session start 12 (numéros : `session show 12`)", typed) == []
    assert english_words("YEAR", set()) == ["year"]
    assert english_words('Sortie : {"checks": {"ceiling": {...}}}', set()) == []
    assert english_words("réglage « retention_months » (docs/guide.md)", set()) == []
    assert english_words("the file.", set()) == ["the", "file"]


def test_every_help_text_is_french() -> None:
    typed = _typed_words(build_parser())
    # a placeholder is never typed: --year YEAR shows YEAR, an English word
    found = [f"{path} — {where} : {', '.join(words)} ({text!r})"
             for path, where, text in _all_pieces()
             if (words := english_words(text, set() if where.endswith("metavar") else typed))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", sorted({path for path, _w, _t in _all_pieces()}))
def test_every_help_renders_in_french(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The rendered --help of each command: French headings (« options : », with the
    space French typography puts before a colon), no argparse English."""
    from caleol.cli import main

    argv = [*path.split()[1:], "--help"]
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Utilisation : {path}"), out
    assert "options :\n" in out, out
    for english in ("usage:", "positional arguments", "options:", "show this help",
                    "default:"):
        assert english not in out, (english, out)
