"""Rewrite the README's tables of shipped libraries and data from caleol/shipped.py.

    .venv/bin/python tools/readme_licences.py

The tables sit between `<!-- caleol.shipped: NAME -->` and `<!-- /caleol.shipped -->`
(NAME: libraries or data); `tests/test_shipped.py` fails while the README differs from
what this writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from caleol import shipped  # noqa: E402

README = ROOT / "README.md"
_BLOCK = re.compile(r"(<!-- caleol\.shipped: (\w+) -->\n)(.*?)(<!-- /caleol\.shipped -->)",
                    re.DOTALL)
TABLES = {"libraries": shipped.markdown_libraries, "data": shipped.markdown_data}


def with_tables(text: str) -> str:
    """The README text with each marked block holding its table as generated now."""
    def table(match: re.Match[str]) -> str:
        return f"{match[1]}{TABLES[match[2]]()}\n{match[4]}"

    return _BLOCK.sub(table, text)


def blocks(text: str) -> list[str]:
    return [match[2] for match in _BLOCK.finditer(text)]


if __name__ == "__main__":
    README.write_text(with_tables(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"README.md : tableaux {', '.join(blocks(README.read_text(encoding='utf-8')))}")
