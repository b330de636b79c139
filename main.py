"""`python main.py [FILE.json]`: start gradstudio from a source checkout."""

import sys

from gradstudio.cli import main

if __name__ == "__main__":
    sys.exit(main())
