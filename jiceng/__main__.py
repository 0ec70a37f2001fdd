from jiceng.cli import main

raise SystemExit(main())
