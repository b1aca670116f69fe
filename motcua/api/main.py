"""The /api tree: routers one per resource under /api/v1, OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from motcua.api.errors import install_error_handlers

api = NinjaAPI(
    title="MotCua API",
    version="1",
    description=(
        "JSON API of MotCua, the one-stop system for administrative procedures. "
        'Every error has the shape {"error": {"code", "message", "fields"}}.'
    ),
    docs_url="/docs",
    urls_namespace="api",
)
install_error_handlers(api)

# Routers: one module per resource (keep this block sorted).
from motcua.api.applicants import router as applicants_router  # noqa: E402
from motcua.api.calendar import router as calendar_router  # noqa: E402
from motcua.api.dossiers import router as dossiers_router  # noqa: E402
from motcua.api.dossiers_actions import router as dossier_actions_router  # noqa: E402
from motcua.api.feedback import router as feedback_router  # noqa: E402
from motcua.api.inbound_sms import router as inbound_sms_router  # noqa: E402
from motcua.api.lookup import router as lookup_router  # noqa: E402
from motcua.api.org import agencies_router, service_points_router  # noqa: E402
from motcua.api.payments import router as payments_router  # noqa: E402
from motcua.api.procedures import fields_router  # noqa: E402
from motcua.api.procedures import router as procedures_router  # noqa: E402
from motcua.api.reports import router as reports_router  # noqa: E402
from motcua.api.signatures import router as signatures_router  # noqa: E402

api.add_router("/v1/agencies", agencies_router)
api.add_router("/v1/applicants", applicants_router)
api.add_router("/v1/calendar", calendar_router, tags=["calendar"])
api.add_router("/v1/dossiers", dossier_actions_router)
api.add_router("/v1/dossiers", dossiers_router)
api.add_router("/v1/feedback", feedback_router)
api.add_router("/v1/fields", fields_router)
api.add_router("/v1/lookup", lookup_router)
api.add_router("/v1/payments", payments_router)
api.add_router("/v1/procedures", procedures_router)
api.add_router("/v1/reports", reports_router)
api.add_router("/v1/service-points", service_points_router)
api.add_router("/v1/signatures", signatures_router)
api.add_router("/v1/sms", inbound_sms_router)
