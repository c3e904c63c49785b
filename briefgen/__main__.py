from __future__ import annotations

import sys

from briefgen.cli import main

sys.exit(main())
