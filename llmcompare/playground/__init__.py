"""Concurrent prompt runs, batches, run metrics and blind votes."""
