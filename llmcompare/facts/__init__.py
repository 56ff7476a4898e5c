"""Importers that turn public data files (prices, openness indexes, transparency scores, leaderboards) into records."""
