"""Models and their facts as users see them: identity, queries, fact sheet, compare, filters, freshness, prices."""
