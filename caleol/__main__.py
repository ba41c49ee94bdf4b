from caleol.cli import main

raise SystemExit(main())
