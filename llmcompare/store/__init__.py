"""The fact store: typed models, the engine factory, migrations and read queries."""
