"""Model identity: the one place a name becomes a model (names), and the reviewed corrections with their evidence."""
