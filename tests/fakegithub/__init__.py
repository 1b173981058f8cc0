"""A fake GitHub REST API for tests: see ``server.py`` (the route API) and ``contents.py``."""
