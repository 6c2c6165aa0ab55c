"""`zhengwu case …` and `zhengwu item …`: thin verbs over the cases and catalog services (the same rules as the
pages and the API). A case is named by its ref (with --org when two departments share one) or its query code."""

from __future__ import annotations

from typing import Any

import click

from zhengwu.cli.common import BadInput, actor_of, emit_json


def _case(ctx: click.Context, ref: str, org_code: str | None) -> Any:
    from zhengwu.cases.selectors import cases_for_actor
    from zhengwu.core.querycode import normalise_query_code

    qs = cases_for_actor(actor_of(ctx)).select_related("org", "org__division", "item_version", "window", "center")
    code = normalise_query_code(ref)
    found = list(qs.filter(ref=ref, **({"org__code": org_code} if org_code else {}))[:2])
    if not found and code:
        found = list(qs.filter(query_code=code)[:1])
    if not found:
        raise BadInput(f"没有可见的办件：{ref}")
    if len(found) > 1:
        raise BadInput(f"办件编号 {ref} 在多个机构中存在，请用 --org 指定机构")
    return found[0]


def _show(case: Any) -> dict[str, Any]:
    return {
        "id": case.pk,
        "ref": case.ref,
        "org": case.org.code,
        "item": case.item_version.name,
        "status": case.status,
        "query_code": case.query_code,
        "accepted_at": case.accepted_at,
        "due_on": case.due_on,
        "concluded_at": case.concluded_at,
        "decision": case.decision or None,
        "visits": case.visits,
    }


org_option = click.option("--org", "org_code", default=None, metavar="CODE", help="The handling org's code.")
expected_option = click.option(
    "--expected", default=None, metavar="STATUS", help="The status you saw; someone else's change then stops you."
)


@click.group("case")
def case_group() -> None:
    """办件：list, show and act on cases."""


@case_group.command("list")
@click.option("--state", default="", help="pending | on_time | warning | overdue | paused")
@click.option("--status", default="open", help="A status, open (default) or all.")
@click.option("--page", default=1, type=int)
@click.pass_context
def case_list(ctx: click.Context, state: str, status: str, page: int) -> None:
    """Your cases, most urgent first, as JSON."""
    from zhengwu.cases.selectors import CaseFilter, case_list_for_staff

    result = case_list_for_staff(actor_of(ctx), CaseFilter(state=state, status=status), page=page)
    emit_json([{**_show(c), "clock_state": getattr(c, "clock_state", None)} for c in result.cases])


@case_group.command("show")
@click.argument("ref")
@org_option
@click.pass_context
def case_show(ctx: click.Context, ref: str, org_code: str | None) -> None:
    """One case with its due-date explanation."""
    from zhengwu.cases.services.clock import case_clock

    case = _case(ctx, ref, org_code)
    clock = case_clock(case)
    emit_json({**_show(case), "due_explanation": clock.explain().lines() if clock else []})


@case_group.command("accept")
@click.argument("ref")
@org_option
@expected_option
@click.option("--opinion", default="")
@click.pass_context
def case_accept(ctx: click.Context, ref: str, org_code: str | None, expected: str | None, opinion: str) -> None:
    """受理."""
    from zhengwu.cases.services import case_accept as accept

    emit_json(_show(accept(actor=actor_of(ctx), case=_case(ctx, ref, org_code), opinion=opinion, expected=expected)))


@case_group.command("reject")
@click.argument("ref")
@org_option
@expected_option
@click.option("--reason", required=True)
@click.pass_context
def case_reject(ctx: click.Context, ref: str, org_code: str | None, expected: str | None, reason: str) -> None:
    """不予受理, with the reason."""
    from zhengwu.cases.services import case_reject as reject

    emit_json(_show(reject(actor=actor_of(ctx), case=_case(ctx, ref, org_code), reason=reason, expected=expected)))


@case_group.command("correction")
@click.argument("ref")
@org_option
@expected_option
@click.option("--missing", multiple=True, required=True, help="A missing material; repeat for each one.")
@click.pass_context
def case_correction(
    ctx: click.Context, ref: str, org_code: str | None, expected: str | None, missing: tuple[str, ...]
) -> None:
    """补齐补正: list every missing material at once."""
    from zhengwu.cases.services import case_request_correction

    case = _case(ctx, ref, org_code)
    emit_json(_show(case_request_correction(actor=actor_of(ctx), case=case, missing=list(missing), expected=expected)))


@case_group.command("pause")
@click.argument("ref")
@org_option
@click.option("--kind", required=True, help="hearing | testing | appraisal | expert_review | inspection | other")
@click.option("--reason", required=True)
@click.pass_context
def case_pause(ctx: click.Context, ref: str, org_code: str | None, kind: str, reason: str) -> None:
    """Start a special procedure (the clock stops)."""
    from zhengwu.cases.services import case_pause as pause

    emit_json(_show(pause(actor=actor_of(ctx), case=_case(ctx, ref, org_code), kind=kind, reason=reason)))


@case_group.command("resume")
@click.argument("ref")
@org_option
@click.pass_context
def case_resume(ctx: click.Context, ref: str, org_code: str | None) -> None:
    """End the special procedure; the due date moves by the paused workdays."""
    from zhengwu.cases.services import case_resume as resume

    emit_json(_show(resume(actor=actor_of(ctx), case=_case(ctx, ref, org_code))))


@case_group.command("conclude")
@click.argument("ref")
@org_option
@expected_option
@click.option("--decision", required=True, type=click.Choice(["approved", "denied"]))
@click.option("--opinion", default="")
@click.pass_context
def case_conclude(
    ctx: click.Context, ref: str, org_code: str | None, expected: str | None, decision: str, opinion: str
) -> None:
    """办结."""
    from zhengwu.cases.services import case_conclude as conclude

    case = _case(ctx, ref, org_code)
    emit_json(_show(conclude(actor=actor_of(ctx), case=case, decision=decision, opinion=opinion, expected=expected)))


@click.group("supervision")
def supervision_group() -> None:
    """电子监察."""


@supervision_group.command("counts")
@click.option("--org", "org_code", default=None, metavar="CODE")
@click.pass_context
def supervision_counts(ctx: click.Context, org_code: str | None) -> None:
    """Open cases by clock state per department and window, as JSON."""
    from zhengwu.cases.selectors import supervision_counts as counts
    from zhengwu.orgs.selectors import org_get_for_actor

    actor = actor_of(ctx)  # without `cases.supervise` anywhere the counts are simply empty
    org = org_get_for_actor(actor, org_code) if org_code else None
    if org_code and org is None:
        raise BadInput(f"没有可见的机构：{org_code}")
    emit_json(counts(actor, org=org))


@click.group("item")
def item_group() -> None:
    """事项目录."""


@item_group.command("list")
@click.option("--q", "query", default="")
@click.pass_context
def item_list(ctx: click.Context, query: str) -> None:
    """Items you may see, as JSON."""
    from django.db.models import Q

    from zhengwu.catalog.selectors import items_for_staff

    qs = items_for_staff(actor_of(ctx))
    if query:
        qs = qs.filter(Q(current__name__icontains=query) | Q(code__icontains=query))
    emit_json(
        [
            {
                "code": i.code,
                "name": i.current.name if i.current else "",
                "org": i.org.code,
                "version": i.current.number if i.current else None,
            }
            for i in qs.order_by("code")[:1000]
        ]
    )


def register(cli: click.Group) -> None:
    cli.add_command(case_group)
    cli.add_command(supervision_group)
    cli.add_command(item_group)
