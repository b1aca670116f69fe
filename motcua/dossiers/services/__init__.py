"""Every change to a dossier is one function here, used alike by pages, the API and commands."""

from motcua.dossiers.services.completion import receive_completed_dossier
from motcua.dossiers.services.filing import ApplicantIn, IntakeIn, RequestItem, Reused
from motcua.dossiers.services.intake import (
    receive_dossier,
    refuse_at_counter,
    request_completion_at_counter,
)
from motcua.dossiers.services.online import (
    accept_submission,
    complete_submission,
    refuse_submission,
    request_completion_of_submission,
    submit_online,
    withdraw_submission,
)
from motcua.dossiers.services.outcomes import (
    hand_over_result,
    handle_on_the_spot,
    issue_apology,
    mark_result_ready,
    refuse_dossier,
    stop_dossier,
)
from motcua.dossiers.services.requests import abandon_unanswered, receive_supplement, request_supplement
from motcua.dossiers.services.steps import (
    assign_step,
    complete_step,
    return_step,
    take_step,
    transfer_due_dossiers,
)
from motcua.signing.services import sign_file, sign_scans

__all__ = [
    "ApplicantIn",
    "IntakeIn",
    "RequestItem",
    "Reused",
    "abandon_unanswered",
    "accept_submission",
    "assign_step",
    "complete_step",
    "complete_submission",
    "hand_over_result",
    "handle_on_the_spot",
    "issue_apology",
    "mark_result_ready",
    "receive_completed_dossier",
    "receive_dossier",
    "receive_supplement",
    "refuse_at_counter",
    "refuse_dossier",
    "refuse_submission",
    "request_completion_at_counter",
    "request_completion_of_submission",
    "request_supplement",
    "return_step",
    "sign_file",
    "sign_scans",
    "stop_dossier",
    "submit_online",
    "take_step",
    "transfer_due_dossiers",
    "withdraw_submission",
]
