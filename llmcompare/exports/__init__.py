"""Data exports: facts in long form and what users made, as CSV, XLSX or JSON."""
