"""Entry point for python -m llmcompare."""

import sys

from llmcompare.cli.main import main

sys.exit(main())
