"""Decision report pieces: the form that chooses what the report holds."""
