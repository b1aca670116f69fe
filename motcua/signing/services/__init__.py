"""Every change the signing app makes is one function here, used by pages, API, admin and commands."""

from motcua.signing.services.certificates import (
    add_certificate,
    add_trusted_root,
    authority_credential,
    create_development_authority,
    credential_of,
    deactivate_certificate,
    import_certificate,
    issue_development_certificate,
    register_token_certificate,
)
from motcua.signing.services.files import record_signatures, sign_file, sign_scans
from motcua.signing.services.issued import Sealed, agency_seal, seal_pdf, store_sealed
from motcua.signing.services.results import prepare_results, require_signed_result, store_results

__all__ = [
    "Sealed",
    "add_certificate",
    "add_trusted_root",
    "agency_seal",
    "authority_credential",
    "create_development_authority",
    "credential_of",
    "deactivate_certificate",
    "import_certificate",
    "issue_development_certificate",
    "prepare_results",
    "record_signatures",
    "register_token_certificate",
    "require_signed_result",
    "seal_pdf",
    "sign_file",
    "sign_scans",
    "store_results",
    "store_sealed",
]
