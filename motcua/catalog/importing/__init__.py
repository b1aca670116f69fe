"""Import the catalog from a `motcua-catalog/1` document (docs/catalog-format.md).

Everything is checked first; a document with any error writes nothing. Importing the same document
twice changes nothing: a version is identified by procedure code and effective_from, and compared by
content hash.
"""

from __future__ import annotations

from motcua.catalog.importing.flat import import_catalog_csv
from motcua.catalog.importing.pipeline import ImportReport, import_catalog

__all__ = ["ImportReport", "import_catalog", "import_catalog_csv"]
