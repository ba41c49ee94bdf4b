"""Reading a setup file's tables into typed values, every problem kept with its line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from caleol.errors import CaleolError, FormError
from caleol.services.organisation import setup_format as fmt
from caleol.services.organisation.fields import FieldError


@dataclass
class Item:
    section: fmt.Section
    address: fmt.Address
    values: dict[str, Any]  # record attribute -> typed value
    label: str  # « agence « METZ » »
    bad: bool = False  # a value was missing or of the wrong type: not applied


class Errors:
    def __init__(self, locator: fmt.Locator) -> None:
        self.locator = locator
        self._found: list[tuple[float, int, str]] = []  # (line, order found, text)
        self.failed: set[tuple[str, str]] = set()  # identity() of the refused items

    @property
    def lines(self) -> list[str]:
        """The messages in the file's order, as one corrects it from the top (those
        without a line last), not in the order the checks ran."""
        return [text for _line, _order, text in sorted(self._found)]

    def add(self, address: fmt.Address, key: str | None, message: str) -> None:
        line = self.locator.line(address, key)
        self._found.append((line or float("inf"), len(self._found),
                            f"{fmt.where(line)}{message}"))

    def from_exception(self, item: Item, exc: CaleolError) -> None:
        fields: dict[str, str]
        if isinstance(exc, FormError):
            fields = exc.fields
        elif isinstance(exc, FieldError):
            fields = {exc.field: exc.message}
        else:
            fields = {"": exc.message}
        self.failed.add(identity(item))
        for attr, message in fields.items():
            key = item.section.key_of(attr)
            for text in message.split("\n"):
                self.add(item.address, key, f"{item.label} : {lower_first(text)}")

    def depends_on_failed(self, *references: tuple[str, object]) -> bool:
        """Whether an item the file also defines, and that was refused, is referred to:
        its own error already says what is wrong, the dependants are skipped."""
        return any((section, str(code).strip()) in self.failed
                   for section, code in references if code)


def lower_first(text: str) -> str:
    """« Le code… » continues a sentence after a colon; « EPCI… » keeps its capitals."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def identity(item: Item) -> tuple[str, str]:
    """(section, code) of an item, as `Errors.failed` keeps it."""
    code = str(item.values.get(item.section.keys[0].attr, "")).strip()
    if item.section is fmt.MEMBERS:
        code = f"{str(item.values.get('commission_code', '')).strip()}/{code}"
    return item.section.name, code


def read_items(content: dict[str, Any], errors: Errors) -> dict[str, list[Item]]:
    """The file's tables as typed values, each unknown key or bad type reported."""
    for name in content:
        if name not in fmt.TOP_KEYS:
            errors.add((), name, f"clé « {name} » inconnue ; clés possibles : "
                                 f"{', '.join(fmt.TOP_KEYS)}.")
    version = content.get("format", fmt.FORMAT_VERSION)
    if version != fmt.FORMAT_VERSION:
        errors.add((), "format", f"format {version} inconnu : ce caleol lit le format "
                                 f"{fmt.FORMAT_VERSION}.")
    out: dict[str, list[Item]] = {}
    for section in fmt.SECTIONS:
        raw = content.get(section.name)
        if raw is None:
            continue
        if not section.array:
            if not isinstance(raw, dict):
                errors.add((), section.name, f"« {section.name} » doit être une table "
                                             f"[{section.name}].")
                continue
            out[section.name] = [_item(section, (section.name,), raw, errors)]
            continue
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            errors.add((), section.name, f"« {section.name} » doit être une suite de tables "
                                         f"[[{section.name}]].")
            continue
        out[section.name] = [_item(section, (section.name, index), table, errors)
                             for index, table in enumerate(raw)]
        if section is fmt.COMMISSIONS:
            out[fmt.MEMBERS.name] = list(_members(raw, errors))
    return out


def _members(commissions: list[dict[str, Any]], errors: Errors) -> Iterator[Item]:
    for index, table in enumerate(commissions):
        raw = table.get("membres", [])
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            errors.add(("commissions", index), "membres", "« membres » doit être une suite de "
                                                          "tables [[commissions.membres]].")
            continue
        for position, member in enumerate(raw):
            item = _item(fmt.MEMBERS, ("commissions", index, "membres", position), member,
                         errors)
            item.values["commission_code"] = str(table.get("code", ""))
            yield item


def _item(section: fmt.Section, address: fmt.Address, table: dict[str, Any],
          errors: Errors) -> Item:
    values: dict[str, Any] = {}
    first = section.keys[0]
    identity = table.get(first.name)
    label = section.title if not isinstance(identity, str) or not section.array else (
        f"{section.title} « {identity} »")
    before = len(errors.lines)
    if section.array and not isinstance(identity, str | int):
        errors.add(address, None, f"{section.title} sans « {first.name} » : chaque "
                                  f"[[{section.name}]] a son {first.name}.")
    identity_error = len(errors.lines) > before
    for name in fmt.unknown_keys(section, table):
        possible = ", ".join(k.name for k in section.keys)
        errors.add(address, name, f"{label} : clé « {name} » inconnue (clés possibles : "
                                  f"{possible}).")
    bad = identity_error
    for key in section.keys:
        if key.name not in table:
            if key.required and key is not first and section.array:
                errors.add(address, None, f"{label} : « {key.name} » manque.")
                bad = True
            continue
        try:
            values[key.attr] = fmt.typed(table[key.name], key)
        except ValueError as exc:
            errors.add(address, key.name, f"{label} : « {key.name} » : {exc}.")
            bad = True
    return Item(section, address, values, label, bad)
