from linter.cli.main import main

raise SystemExit(main())
