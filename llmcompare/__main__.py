"""Entry point for python -m llmcompare."""

import sys

from llmcompare.cli import main

sys.exit(main())
