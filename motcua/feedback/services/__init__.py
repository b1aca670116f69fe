"""Writes of the feedback app: rate a dossier; receive, assign, forward, answer, decline, publish feedback."""

from motcua.feedback.services.assignment import assign_feedback, release_feedback, take_feedback
from motcua.feedback.services.handling import (
    answer_feedback,
    decline_feedback,
    forward_feedback,
    publish_draft,
    publish_feedback,
    react_to_answer,
    withdraw_publication,
)
from motcua.feedback.services.intake import FeedbackIn, submit_feedback
from motcua.feedback.services.ratings import rate_dossier

__all__ = [
    "FeedbackIn",
    "answer_feedback",
    "assign_feedback",
    "decline_feedback",
    "forward_feedback",
    "publish_draft",
    "publish_feedback",
    "rate_dossier",
    "react_to_answer",
    "release_feedback",
    "submit_feedback",
    "take_feedback",
    "withdraw_publication",
]
