"""Django's SQLite backend, turning a statement's `%s` parameters into SQLite's `?` once per text.

Django does that with a regular expression each time a statement runs. A dossier operation runs the
same few statements over and over, and the conversion cost about as much as SQLite's own work on the
small ones; the converted text is kept (a bounded cache).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.backends.sqlite3 import base


@functools.lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)
