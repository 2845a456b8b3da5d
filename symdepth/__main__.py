"""``python -m symdepth``: the same command line as ``symdepth``."""

import sys

from .cli import main

sys.exit(main())
