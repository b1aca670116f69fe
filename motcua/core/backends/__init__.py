"""Database backends: Django's own, with what MotCua's hot paths need (see each module)."""
