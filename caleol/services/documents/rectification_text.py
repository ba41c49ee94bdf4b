"""One rectification of a signed PV, as its parts: the point of the PV, the wording
it had, the wording it takes, and why.

The `rectification` table keeps one text per rectification (and its author apart);
the parts are stored in that text as labelled lines, readable as they are in the
audit log and in an access request:

    Point du procès-verbal : Logement MET-00021, candidat 057…, décision
    Mention initiale : Attribution par ordre de priorité — rang 2
    Mention rectifiée : Attribution par ordre de priorité — rang 3
    Motif : erreur matérielle de saisie

A line starting with two spaces continues the part above it. A text recorded before
this format (« point : correction ») reads as its point and corrected wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from caleol.errors import ValidationError

LABELS = {
    "point": "Point du procès-verbal",
    "before": "Mention initiale",
    "after": "Mention rectifiée",
    "reason": "Motif",
}
CONTINUATION = "  "


@dataclass(frozen=True)
class RectificationParts:
    point: str
    before: str
    after: str
    reason: str = ""


def compose(parts: RectificationParts) -> str:
    """The stored text of a rectification.

    Raises:
        ValidationError: a part is missing (French message naming it).
    """
    missing = [LABELS[name] for name in ("point", "before", "after", "reason")
               if not getattr(parts, name).strip()]
    if missing:
        raise ValidationError("Rectification incomplète : " + ", ".join(
            m[:1].lower() + m[1:] for m in missing) + " à indiquer.")
    lines = []
    for name, label in LABELS.items():
        first, *rest = getattr(parts, name).strip().splitlines()
        lines.append(f"{label} : {first.strip()}")
        lines += [CONTINUATION + line.strip() for line in rest]
    return "\n".join(lines)


def parse(text: str) -> RectificationParts:
    """The parts of a stored text (a text in the older single form gives its point and
    corrected wording, with no original wording nor reason)."""
    by_label = {f"{label} :": name for name, label in LABELS.items()}
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        head = next((h for h in by_label if line.startswith(h)), None)
        if head is not None:
            current = by_label[head]
            found[current] = [line[len(head):].strip()]
        elif current is not None and line.startswith(CONTINUATION):
            found[current].append(line.strip())
        else:
            current = None
            break
    if current is not None and {"point", "after"} <= found.keys():
        return RectificationParts(**{name: "\n".join(found.get(name, []))
                                     for name in LABELS})
    point, separator, correction = text.partition(" : ")
    if not separator:
        return RectificationParts(point="", before="", after=text.strip())
    return RectificationParts(point=point.strip(), before="", after=correction.strip())
