"""The validation info a PDF carries for its signatures: what keeps them verifiable for the long term.

PAdES B-LT puts the CA certificates, CRLs and OCSP answers in the document security store (DSS, ISO
32000-2 §12.8.4.3); older software (Adobe's profile) puts them in the signature itself
(adbe-revocationInfoArchival). Either lets a signature be validated as of its timestamp without
reaching the CA, years later, after the signer's certificate has expired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature


@dataclass(frozen=True)
class Evidence:
    """Certificates, CRLs and OCSP answers found in a file's DSS."""

    certificates: list[asn1_x509.Certificate] = field(default_factory=list)
    crls: list[asn1_crl.CertificateList] = field(default_factory=list)
    ocsps: list[asn1_ocsp.OCSPResponse] = field(default_factory=list)


def read_evidence(reader: PdfFileReader) -> Evidence:
    """The file's DSS, as its last revision holds it (empty when it has none)."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return Evidence()
    context = dss.as_validation_context({"trust_roots": []})
    return Evidence(certificates=list(dss.load_certs()), crls=list(context.crls), ocsps=list(context.ocsps))


def _archived(signature: EmbeddedPdfSignature) -> tuple[list[Any], list[Any]]:
    """The CRLs and OCSP answers in the signature's own revocation archive (Adobe's profile)."""
    for attribute in signature.signer_info["signed_attrs"]:
        if attribute["type"].native == "adobe_revocation_info_archival":
            archive = attribute["values"][0]
            return list(archive["crl"] or ()), list(archive["ocsp"] or ())
    return [], []


def covers(signature: EmbeddedPdfSignature, evidence: Evidence) -> bool:
    """Whether the file carries revocation info for the signer's certificate (a CRL of its issuer, or an
    OCSP answer about it)."""
    certificate = signature.signer_cert
    crls, ocsps = _archived(signature)
    crls += evidence.crls
    ocsps += evidence.ocsps
    if any(c["tbs_cert_list"]["issuer"] == certificate.issuer for c in crls):
        return True
    return any(_answers_for(o, certificate) for o in ocsps)


def _answers_for(response: asn1_ocsp.OCSPResponse, certificate: asn1_x509.Certificate) -> bool:
    try:
        answers = response["response_bytes"]["response"].parsed["tbs_response_data"]["responses"]
    except (KeyError, ValueError, TypeError):
        return False
    return any(a["cert_id"]["serial_number"].native == certificate.serial_number for a in answers)
