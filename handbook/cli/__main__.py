"""`python -m handbook.cli`: the same as the `handbook` command."""

import sys

from handbook.cli.main import main

sys.exit(main())
