"""The names of the pair and recurrence models' features, in their models' order, without
numpy: `uprdex status` checks the recurrence model's file against them (`model_versions`) as
its loader does, and loads no model."""

from __future__ import annotations

__all__ = ["CONTEXT_FEATURES", "DENSE_FEATURES", "RECURRENCE_FEATURES"]

DENSE_FEATURES = (
    "meaning",
    "actions_jaccard",
    "actions_both",
    "actions_disjoint",
    "groups_jaccard",
    "groups_both",
    "groups_disjoint",
    "treaty_shared",
    "first_word",
    "length_ratio",
    "log_shorter",
    "log_longer",
)
"""The pair features besides the words' scores and the terms, in the model's order."""

CONTEXT_FEATURES = (
    "score",
    "margin_later",
    "margin_earlier",
    "log_rank_later",
    "log_rank_earlier",
    "best_later",
    "best_earlier",
    "best_both",
    "gap_second_later",
    "log_words_later",
    "log_words_earlier",
    "earlier_compound",
    "later_compound",
    "subjects",
    "rare_words",
    "token_set",
    "log_rank_subjects",
    "log_rank_rare",
    "margin_rare",
)
"""What the recurrence model reads of a pair in its context (`recurrence_model`)."""

RECURRENCE_FEATURES = CONTEXT_FEATURES + tuple(f"pair_{name}" for name in DENSE_FEATURES)
"""The features of each candidate pair, in the recurrence model's order."""
