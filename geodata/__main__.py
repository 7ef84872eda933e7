"""``python -m geodata …``: see :mod:`geodata.tools.cli`."""

import sys

from geodata.tools.cli import main

sys.exit(main())
