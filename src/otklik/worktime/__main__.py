"""``python -m otklik.worktime ...`` — see :mod:`otklik.worktime.cli`."""

from .cli import main

raise SystemExit(main())
