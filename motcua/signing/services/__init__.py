"""Every change the signing app makes is one function here, used by pages, API, admin and commands."""

from motcua.signing.services.certificates import (
    add_certificate,
    add_trusted_root,
    create_development_authority,
    credential_of,
    deactivate_certificate,
    import_certificate,
    issue_development_certificate,
)
from motcua.signing.services.files import (
    prepare_results,
    record_signatures,
    require_signed_result,
    sign_file,
    sign_scans,
    store_results,
)

__all__ = [
    "add_certificate",
    "add_trusted_root",
    "create_development_authority",
    "credential_of",
    "deactivate_certificate",
    "import_certificate",
    "issue_development_certificate",
    "prepare_results",
    "record_signatures",
    "require_signed_result",
    "sign_file",
    "sign_scans",
    "store_results",
]
