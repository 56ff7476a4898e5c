"""Reviewed imports: read a file, check every row, preview what it changes, then apply it in one transaction."""
