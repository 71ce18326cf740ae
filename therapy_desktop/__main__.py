from therapy_desktop.app import main

raise SystemExit(main())
