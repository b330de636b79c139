"""`python -m gradstudio`: the same as the `gradstudio` command."""

import sys

from gradstudio.cli import main

sys.exit(main())
