"""Entry script of the frozen application: the same `main` as the `caleol` command."""

from caleol.cli import main

raise SystemExit(main())
