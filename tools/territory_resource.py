"""Build caleol's territory resource from the npm package @etalab/decoupage-administratif.

Run at build time, never by the application:

    npm pack @etalab/decoupage-administratif@6.0.0          # in a scratch folder
    .venv/bin/python tools/territory_resource.py etalab-decoupage-administratif-6.0.0.tgz

writes `caleol/resources/territory/territoire.json.gz` (caleol's compact format,
`caleol.services.territory.dataset`) and its départements alone beside it
(`departements.json`, what the forms offer without decoding every commune), and
prints what it holds. The conversion is the
one `caleol reference import communes PAQUET.tgz` applies to a newer package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caleol.errors import CaleolError
from caleol.services.territory.dataset import (
    DEPARTMENTS_NAME,
    dump_compact,
    dump_departments,
    load_compact,
    shipped_path,
)
from caleol.services.territory.etalab import read_npm_tarball


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="the .tgz written by npm pack")
    parser.add_argument("-o", "--output", type=Path, default=shipped_path())
    args = parser.parse_args(argv)
    try:
        dataset = read_npm_tarball(args.tarball.read_bytes())
    except CaleolError as exc:
        print(exc, file=sys.stderr)
        return 2
    data = dump_compact(dataset)
    assert load_compact(data) == dataset  # the file reads back as what was converted
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    (args.output.parent / DEPARTMENTS_NAME).write_bytes(dump_departments(dataset))
    arrondissements = sum(1 for c in dataset.communes.values() if c.parent)
    print(f"{args.output}: {dataset.info.label}, {len(dataset.communes) - arrondissements} "
          f"communes + {arrondissements} arrondissements municipaux, {len(dataset.epcis)} EPCI, "
          f"{len(dataset.departments)} départements, {len(dataset.former_codes)} anciens codes; "
          f"{len(data) / 1024:.0f} Ko")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
