"""``python -m app`` is the same as ``trotsky-map``."""

import sys

from app.cli import main

sys.exit(main())
