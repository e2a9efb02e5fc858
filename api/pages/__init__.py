"""Server-rendered pages: the public verification page."""
