"""`uprdex cluster` and `uprdex clusters`: duplicate recommendations."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from uprdex.flows.cli import corrections
from uprdex.flows.cli._common import (
    NO_RECURRING,
    err,
    existing,
    filters,
    index_option,
    limit_option,
    limited,
    locked,
    open_index,
    out,
    pending_note,
    rec_filter,
    shown_of,
    workspace,
)
from uprdex.flows.cli.corrections import report_corrections
from uprdex.pipeline.settings import ClusterSettings

_CLUSTER_DEFAULTS = ClusterSettings()


@click.group("cluster", invoke_without_command=True, subcommand_metavar="[COMMAND [ARGS]...]")
@click.option(
    "--scope",
    type=click.Choice(["review", "state", "all"]),
    default=None,
    help="Which recommendations may share a cluster: one review, one State under "
    "review across its cycles (the default), or all States. Like every setting here it is "
    "remembered: left out, the last one given applies.",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Lowest average similarity (0-100) for two groups to merge (the default "
    f"{_CLUSTER_DEFAULTS.threshold:g}).",
)
@click.option(
    "--granularity",
    type=click.FloatRange(0, 1),
    default=None,
    help="One setting from 0, the same commitment (strict), to 1, the same subject (broad); "
    f"it sets the threshold and floor (the default amounts to {_CLUSTER_DEFAULTS.fineness:.2g}).",
)
@click.option(
    "--scorer", default=None, help=f"rapidfuzz scorer (the default {_CLUSTER_DEFAULTS.scorer})."
)
@click.option(
    "--semantic-weight",
    type=float,
    default=None,
    help="Share of meaning (the similarity model's cosine) in the similarity, 0-1; the rest "
    f"is the rapidfuzz word score (the default {_CLUSTER_DEFAULTS.semantic_weight:g}; 0 matches "
    "on words only).",
)
@click.option(
    "--action-weight",
    type=float,
    default=None,
    help="Points (0-100) a pair gains when both asks name the same kinds of action "
    "(investigate and punish, a plan, a law, training ...), up to half of it, or loses when "
    f"they name different ones (the default {_CLUSTER_DEFAULTS.action_weight:g}; 0 ignores them).",
)
@click.option(
    "--learned/--mix",
    "learned",
    default=None,
    help="Score pairs with the pair model trained on labelled reviews (the default; `uprdex "
    "train-pairs`), or with the weighted mix of words, meaning and action kinds (chosen "
    "whenever --scorer, --semantic-weight or --action-weight is given without --learned).",
)
@click.option(
    "--learned-recurrences/--rule-recurrences",
    "learned_recurrence",
    default=None,
    help="Find the asks that repeat an earlier review's with the learned link model (the "
    "default), or with the similarity cut and the clusters (finds fewer; a little faster on a "
    "large index).",
)
@click.option(
    "--defaults",
    is_flag=True,
    help="Forget the remembered settings: the defaults (with [clusters] of uprdex.toml), "
    "with only the options given here.",
)
@index_option
@click.pass_context
def cluster_(
    ctx: click.Context,
    scope: str | None,
    threshold: float | None,
    granularity: float | None,
    scorer: str | None,
    semantic_weight: float | None,
    action_weight: float | None,
    learned: bool | None,
    learned_recurrence: bool | None,
    defaults: bool,
    index: Path | None,
) -> None:
    """(Re)compute duplicate-recommendation clusters from scratch with these settings.

    The same recommendations give the same clusters and ids, whatever the order their
    documents arrived in. Later ingests update the clusters incrementally with these
    settings (remembered, until `--defaults`): existing clusters keep their ids and new
    recommendations join them, so run this again for the clusters the whole index gives.
    Every clustering keeps the researchers' corrections (`uprdex cluster link`, `unlink`).
    """
    if ctx.invoked_subcommand is not None:
        # `uprdex cluster --index F link A B`: the index is the subcommand's too.
        ctx.obj = {"index": index}
        given = [name for name, value in ctx.params.items() if value not in (None, False)]
        if set(given) - {"index"}:
            options = ", ".join(f"--{name.replace('_', '-')}" for name in given if name != "index")
            raise click.UsageError(
                f"{options} set the clustering, not `uprdex cluster {ctx.invoked_subcommand}`: "
                "run `uprdex cluster` with them on its own"
            )
        return
    existing(index)
    with locked(workspace(None, index)), open_index(index) as store:
        # --defaults: the configuration's [clusters] (else the defaults), forgetting the index's.
        current = store.cluster_base if defaults else store.cluster_settings()
        try:
            settings = replace(
                current,
                scope=scope or current.scope,  # type: ignore[arg-type]  # a click.Choice
                threshold=current.threshold if threshold is None else threshold,
                scorer=scorer or current.scorer,
                semantic_weight=(
                    current.semantic_weight if semantic_weight is None else semantic_weight
                ),
                action_weight=current.action_weight if action_weight is None else action_weight,
                granularity=granularity,
                learned=(
                    current.learned
                    and (scorer, semantic_weight, action_weight) == (None, None, None)
                    if learned is None
                    else learned
                ),
                learned_recurrence=(
                    current.learned_recurrence if learned_recurrence is None else learned_recurrence
                ),
            )
        except ValueError as error:
            raise click.BadParameter(str(error)) from error
        before = store.cluster_ids()
        count = store.update_clusters(settings, fresh=True)
        after = store.cluster_ids()
        multi = [c for c in store.clusters() if c.size > 1]
        held = store.applied_corrections()
    moved = sum(1 for rec_id, cluster_id in after.items() if before.get(rec_id) != cluster_id)
    scoring = (
        "the pair model"
        if settings.learned
        else f"{settings.scorer} with meaning weight {settings.semantic_weight:g}, action weight "
        f"{settings.action_weight:g}"
    ) + ("" if settings.learned_links else ", recurring asks by the rule")
    out.print(
        f"{count} recommendations clustered ({settings.scope}, {scoring}, "
        f">= {settings.threshold:g}): "
        f"{len(multi)} clusters of 2 or more; {moved} "
        f"{'recommendation' if moved == 1 else 'recommendations'} changed cluster."
    )
    report_corrections(held)


@click.command("clusters")
@index_option
@filters
@click.option(
    "--min-size",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Only clusters of at least N recommendations (1: the ones alone too).",
)
@limit_option(20, "clusters")
def clusters_(index: Path | None, min_size: int, limit: int, **options: Any) -> None:
    """List duplicate clusters, largest first, with members, States and responses."""
    with open_index(index) as store:
        where = rec_filter(options, store)
        found = store.clusters(where, min_size=min_size)
        pending = pending_note(store, where)
    shown = limited(found, limit)
    for group in shown:
        flag = " \\[asked again in a later cycle]" if group.recurring else ""
        # Over many States the members' ids name no State: say whose review they are of.
        reviewed = ", ".join(
            dict.fromkeys(rec.state_under_review or "State not known" for rec in group.members)
        )
        out.print(
            f"[bold]{group.cluster_id}[/] ({group.size}) to {escape(reviewed)}{flag}: "
            f"{escape(group.canonical_text)}"
        )
        for rec in group.members:
            states = ", ".join(rec.recommending_states)
            out.print(f"  {rec.id:24} {rec.response:9} {escape(states)}")
    if options.get("recurring") and not found:
        err.print(NO_RECURRING)
    out.print(f"{shown_of(len(shown), len(found), 'cluster')} of {min_size} or more")
    if pending:
        err.print(pending)


for _command in (corrections.link, corrections.unlink, corrections.forget, corrections.links):
    cluster_.add_command(_command)
