"""The command line: python -m llmcompare ..."""
