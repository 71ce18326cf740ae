from therapy_desktop.backend.cli import main

raise SystemExit(main())
