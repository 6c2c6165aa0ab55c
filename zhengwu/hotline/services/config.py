"""What a hotline configures from its staff pages: handling time limits, card rules, Open311 client keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.hotline import policies as hp
from zhengwu.hotline.models import ApiClient, CardRule, HandlingRule, LimitUnit, TicketKind, Urgency
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

MAX_LIMIT = 720  # the database's check constraint: 720 workdays or hours
MAX_OVERDUE_PER_MONTH = 1000
MAX_YELLOWS_PER_QUARTER = 3  # a quarter has three months, one yellow card per month


def _choice(value: str, allowed: list[str], field: str) -> None:
    if value not in allowed:
        raise InvalidInput(_("取值无效：%(v)s") % {"v": value[:30]}, detail={field: ["invalid_choice"]})


def _bounded(value: int, low: int, high: int, field: str) -> None:
    if not low <= value <= high:
        raise InvalidInput(
            _("应在 %(low)s 到 %(high)s 之间。") % {"low": low, "high": high}, detail={field: ["out_of_range"]}
        )


def handling_rule_set(
    *, actor: Staff | None, org: Org, kind: str, urgency: str, limit: int, unit: str = LimitUnit.WORKDAYS
) -> HandlingRule:
    """The time limit for `org`'s tickets (and those of orgs below it without a rule) of one kind and urgency.
    Applies to tickets registered from now on; a ticket keeps the limit it was registered with."""
    policies.require(actor, hp.CONFIGURE, org)
    _choice(kind, TicketKind.values, "kind")
    _choice(urgency, Urgency.values, "urgency")
    _choice(unit, LimitUnit.values, "unit")
    _bounded(limit, 1, MAX_LIMIT, "limit")
    with transaction.atomic():
        rule = HandlingRule.objects.select_for_update().filter(org=org, kind=kind, urgency=urgency).first()
        old = None if rule is None else {"limit": rule.limit, "unit": rule.unit}
        if rule is None:
            rule = HandlingRule(org=org, kind=kind, urgency=urgency)
        elif old == {"limit": limit, "unit": unit}:
            return rule
        rule.limit, rule.unit = limit, unit
        rule.save()
        record_event(
            actor=actor,
            action="hotline.handling_rule.set",
            obj=rule,
            org=org,
            old=old,
            new={"kind": kind, "urgency": urgency, "limit": limit, "unit": unit},
        )
    return rule


def handling_rule_clear(*, actor: Staff | None, org: Org, kind: str, urgency: str) -> bool:
    """Remove `org`'s own rule, so the org above it (or the default) applies again; False if it had none."""
    policies.require(actor, hp.CONFIGURE, org)
    _choice(kind, TicketKind.values, "kind")
    _choice(urgency, Urgency.values, "urgency")
    with transaction.atomic():
        rule = HandlingRule.objects.select_for_update().filter(org=org, kind=kind, urgency=urgency).first()
        if rule is None:
            return False
        record_event(
            actor=actor,
            action="hotline.handling_rule.clear",
            obj=rule,
            org=org,
            old={"kind": kind, "urgency": urgency, "limit": rule.limit, "unit": rule.unit},
        )
        rule.delete()
    return True


def card_rule_set(*, actor: Staff | None, org: Org, overdue_per_month: int, yellows_per_quarter: int) -> CardRule:
    """When `org`'s units get cards: ≥ `overdue_per_month` overdue tickets in a month → yellow; the
    `yellows_per_quarter`-th yellow in one quarter → red. Applies to the next evaluation."""
    policies.require(actor, hp.CONFIGURE, org)
    _bounded(overdue_per_month, 1, MAX_OVERDUE_PER_MONTH, "overdue_per_month")
    _bounded(yellows_per_quarter, 1, MAX_YELLOWS_PER_QUARTER, "yellows_per_quarter")
    new = {"overdue_per_month": overdue_per_month, "yellows_per_quarter": yellows_per_quarter}
    with transaction.atomic():
        rule = CardRule.objects.select_for_update().filter(org=org).first()
        old = None if rule is None else {f: getattr(rule, f) for f in new}
        if old == new:
            return rule  # type: ignore[return-value]
        rule = rule or CardRule(org=org)
        rule.overdue_per_month, rule.yellows_per_quarter = overdue_per_month, yellows_per_quarter
        rule.save()
        record_event(actor=actor, action="hotline.card_rule.set", obj=rule, org=org, old=old, new=new)
    return rule


def api_client_revoke(*, actor: Staff | None, client: ApiClient, reason: str = "") -> ApiClient:
    """Disable an Open311 client's key for good: its submissions are refused from now on (its tickets stay)."""
    policies.require(actor, hp.CONFIGURE, client.org)
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if not locked.is_active:
            raise Conflict(_("该接入密钥已停用。"), detail={"client": ["already_revoked"]})
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record_event(
            actor=actor,
            action="hotline.api_client.revoke",
            obj=locked,
            org=locked.org,
            old={"name": locked.name, "key_prefix": locked.key_prefix, "is_active": True},
            new={"is_active": False},
            reason=reason,
        )
    return locked
