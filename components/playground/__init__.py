"""Playground pieces: the side set-up, the live answer panel, batch mode and the run history."""
