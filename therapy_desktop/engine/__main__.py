from therapy_desktop.engine.cli import main

raise SystemExit(main())
