from pokrovsk_tui.cli import main

raise SystemExit(main())
