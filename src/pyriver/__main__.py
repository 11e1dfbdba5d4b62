"""``python -m pyriver``: the pyriver command line."""

import sys

from .cli import main

sys.exit(main())
