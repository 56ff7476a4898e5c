"""Strict readers for text, CSV, JSON, YAML and zip, used by the seed build and uploads alike."""
