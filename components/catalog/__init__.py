"""Catalogue pieces: the filter bar, the comparison tables, fact sheet sections, model pickers, arena charts."""
