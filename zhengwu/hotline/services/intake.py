"""Intake: registering a ticket from any channel, answering it from the knowledge base, converting it."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhengwu.core import clock, prepared
from zhengwu.core.audit import record_event
from zhengwu.core.errors import InvalidInput
from zhengwu.core.transitions import transition
from zhengwu.hotline import policies as hp
from zhengwu.hotline import states
from zhengwu.hotline.models import (
    SUBTYPES,
    ApiClient,
    Channel,
    ConversionTarget,
    KnowledgeArticle,
    Ticket,
    TicketKind,
    TicketSequence,
    Urgency,
    hash_api_key,
)
from zhengwu.hotline.selectors import DuplicateCandidate, duplicate_candidates
from zhengwu.hotline.services.limits import due_for, limit_for
from zhengwu.hotline.states import TicketStatus
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

MAX_CONTENT = 5000


@dataclass
class TicketCreated:
    ticket: Ticket
    duplicates: list[DuplicateCandidate] = field(default_factory=list)


def _check_choice(value: str, allowed: list[str], name: str) -> None:
    if value not in allowed:
        raise InvalidInput(_("取值无效：%(v)s") % {"v": value}, detail={name: ["invalid_choice"]})


def _next_ref(org: Org, day: dt.date) -> str:
    """The next number of the day, in one upsert.

    Called outside the intake's transaction (see ticket_create), so the counter row is locked for this one
    statement only, not until the ticket commits: under load, holding it to the commit serialised every intake
    of a hotline behind the one before it, commit flush included."""
    table = TicketSequence._meta.db_table
    sql = (
        f"INSERT INTO {table} (org_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 — our own table name
        f"ON CONFLICT (org_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )
    if connection.vendor == "postgresql":
        ((last,),) = prepared.execute(connection, sql, [org.pk, day])
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [org.pk, day])
            (last,) = cursor.fetchone()
    return f"{day:%Y%m%d}{last:04d}"


def _insert(ticket: Ticket) -> None:
    """`ticket.save(force_insert=True)`; on PostgreSQL as one fixed statement built from the model's fields (the
    ORM's compiler cost more than the insert itself at intake rates). No model signal listens to tickets."""
    if connection.vendor != "postgresql":
        ticket.save(force_insert=True)
        return
    qn = connection.ops.quote_name
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    params = [f.get_db_prep_save(f.pre_save(ticket, True), connection) for f in fields]
    sql = _INSERT_SQL.get("ticket")
    if sql is None:
        sql = _INSERT_SQL["ticket"] = (
            f"INSERT INTO {qn(Ticket._meta.db_table)} ({', '.join(qn(str(f.column)) for f in fields)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn('id')}"
        )
    ((ticket.pk,),) = prepared.execute(connection, sql, params)
    ticket._state.adding = False
    ticket._state.db = connection.alias


_INSERT_SQL: dict[str, str] = {}


def ticket_create(
    *,
    actor: Staff | None,
    org: Org,
    channel: str,
    kind: str,
    content: str,
    subtype: str = "",
    caller_name: str = "",
    caller_phone: str = "",
    location: str = "",
    urgency: str = Urgency.NORMAL,
    lat: Decimal | None = None,
    long: Decimal | None = None,
    api_client: ApiClient | None = None,
) -> TicketCreated:
    """Register a ticket. Staff need `hotline.operate`; the portal and Open311 call it with actor None.

    The caller's tickets of the last 30 days that look like the same matter come back as `duplicates`
    (the closest is linked as `duplicate_of`): a warning for the operator, never a refusal.
    """
    policies.require(actor, hp.OPERATE, org)
    _check_choice(channel, Channel.values, "channel")
    _check_choice(kind, TicketKind.values, "kind")
    _check_choice(urgency, Urgency.values, "urgency")
    if subtype and subtype not in SUBTYPES[kind]:
        raise InvalidInput(_("诉求子类与诉求类型不符：%(v)s") % {"v": subtype}, detail={"subtype": ["invalid_choice"]})
    content = content.strip()
    if not content:
        raise InvalidInput(_("请填写诉求内容。"), detail={"content": ["required"]})
    if len(content) > MAX_CONTENT:
        raise InvalidInput(_("诉求内容过长。"), detail={"content": ["too_long"]})
    caller_phone = "".join(ch for ch in caller_phone if ch.isdigit() or ch == "-")[:20]
    now = clock.now()
    limit, unit = limit_for(org=org, kind=kind, urgency=urgency)
    counting_from, due_on, due_at = due_for(start=now, limit=limit, unit=unit)
    duplicates = (
        duplicate_candidates(org=org, caller_phone=caller_phone, content=content, kind=kind, now=now)
        if caller_phone
        else []
    )
    # The number is taken in its own short statement before the transaction (autocommitted, unless the caller
    # holds a transaction of its own): a ticket whose transaction then fails leaves a gap in the day's numbers,
    # never a duplicate.
    ref = _next_ref(org, clock.local(now).date())
    with transaction.atomic():
        ticket = Ticket(
            org=org,
            ref=ref,
            channel=channel,
            kind=kind,
            subtype=subtype,
            caller_name=caller_name.strip()[:50],
            caller_phone=caller_phone,
            content=content,
            location=location.strip()[:200],
            lat=lat,
            long=long,
            urgency=urgency,
            status=TicketStatus.NEW,
            created_at=now,
            created_by=actor,
            limit=limit,
            limit_unit=unit,
            counting_from=counting_from,
            due_on=due_on,
            due_at=due_at,
            duplicate_of_id=duplicates[0].ticket_id if duplicates else None,
            api_client=api_client,
        )
        _insert(ticket)
        record_event(
            actor=actor,
            action="ticket.create",
            obj=ticket,
            new={
                "ref": ticket.ref,
                "channel": channel,
                "kind": kind,
                "subtype": subtype,
                "urgency": urgency,
                "due_on": due_on,
                "duplicate_of": ticket.duplicate_of_id,
            },
            reason=f"open311:{api_client.name}" if api_client is not None else "",
        )
    return TicketCreated(ticket, duplicates)


def ticket_answer_directly(
    *, actor: Staff | None, ticket: Ticket, answer: str = "", article: KnowledgeArticle | None = None
) -> Ticket:
    """The operator answers from the knowledge base (or in their own words) and closes the ticket."""
    policies.require(actor, hp.OPERATE, ticket)
    if article is not None:
        if article.org_id not in ticket.org.ancestor_ids() or not article.is_active:
            raise InvalidInput(_("知识库条目不可用。"), detail={"article": ["not_found"]})
        answer = answer.strip() or article.answer
    answer = answer.strip()
    if not answer:
        raise InvalidInput(_("请填写答复内容或选择知识库条目。"), detail={"answer": ["required"]})
    with transaction.atomic():
        ticket = transition(
            ticket,
            to=TicketStatus.CONCLUDED,
            transitions=states.ANSWER_DIRECTLY,
            actor=actor,
            action="ticket.answer_directly",
            expected=ticket.status,
            changes={
                "answered_directly": True,
                "answer": answer,
                "article": article,
                "concluded_at": clock.now(),
            },
        )
        if article is not None:
            KnowledgeArticle.objects.filter(pk=article.pk).update(use_count=F("use_count") + 1)
    return ticket


def ticket_convert(
    *,
    actor: Staff | None,
    ticket: Ticket,
    target: str,
    target_ref: str = "",
    reason: str = "",
    target_org: Org | None = None,
    applicant_name: str = "",
    subject: str = "",
) -> Ticket:
    """Hand a ticket that is really a disclosure request or a service-hall complaint to that domain; the ticket
    ends as `converted`, keeping the link (`converted_to`, `converted_ref`) and its date received.

    - `disclosure_request`: the request is *created* in the disclosure register of `target_org` (the ticket's
      hotline or an org below it; default the hotline) through `disclosure.services.request_register`, in the
      same transaction: channel "other", applicant the caller (`applicant_name`, default the caller's name),
      subject `subject` (default the ticket's text), contact the caller's phone, submitted and confirmed on the
      day the ticket was received — so 条例第三十一条 counts it as received that day. `converted_ref` is the new
      request's number. The hotline operator registers it on the office's behalf: the request is recorded as
      registered by the platform ("system" in its audit event; its purpose names the ticket), and the ticket's
      `ticket.convert` event names the operator and the request's number.
    - `service_complaint`: the cases domain has no complaint record a hotline can file (its only applicant
      feedback, 好差评, is one rating per concluded case from the portal or the window's device), so nothing is
      created there: the ticket records the reference the service hall gave the complaint (`target_ref`,
      required) and `target_org`, and the hall handles it in its own register.
    """
    policies.require(actor, hp.OPERATE, ticket)
    _check_choice(target, ConversionTarget.values, "target")
    org = target_org or ticket.org
    if not org.path.startswith(ticket.org.path) or not org.is_active:
        raise InvalidInput(_("只能转入本热线或其下级机关。"), detail={"target_org": ["out_of_scope"]})
    target_ref = target_ref.strip()
    if target == ConversionTarget.SERVICE_COMPLAINT and not target_ref:
        raise InvalidInput(_("请填写政务服务投诉的登记编号。"), detail={"target_ref": ["required"]})
    with transaction.atomic():
        if target == ConversionTarget.DISCLOSURE_REQUEST:
            target_ref = _disclosure_request_from(ticket, org=org, applicant_name=applicant_name, subject=subject)
        return transition(
            ticket,
            to=TicketStatus.CONVERTED,
            transitions=states.CONVERT,
            actor=actor,
            action="ticket.convert",
            expected=ticket.status,
            reason=reason,
            changes={"converted_to": target, "converted_ref": target_ref[:60], "converted_at": clock.now()},
        )


def _disclosure_request_from(ticket: Ticket, *, org: Org, applicant_name: str, subject: str) -> str:
    """The new request's number (its org's register: the ticket's `converted_ref`)."""
    from zhengwu.disclosure.services.requests import request_register
    from zhengwu.disclosure.states import ApplicantKind
    from zhengwu.disclosure.states import Channel as DisclosureChannel

    received = clock.local(ticket.created_at).date()
    request = request_register(
        actor=None,
        org=org,
        channel=DisclosureChannel.OTHER,
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        applicant_name=(applicant_name or ticket.caller_name).strip(),
        subject=(subject or ticket.content).strip(),
        submitted_on=received,
        confirmed_on=received,
        contact_phone=ticket.caller_phone,
        contact_address=ticket.location,
        purpose=_("经12345热线工单 %(ref)s 转入") % {"ref": ticket.ref},
    )
    return request.ref


def api_client_create(*, actor: Staff | None, org: Org, name: str, channel: str = Channel.APP) -> tuple[ApiClient, str]:
    """A new Open311 client app for `org`; returns the client and its key, shown this once (only a hash is kept)."""
    policies.require(actor, hp.CONFIGURE, org)
    _check_choice(channel, [Channel.WECHAT, Channel.APP, Channel.WEB, Channel.OTHER], "channel")
    if not name.strip():
        raise InvalidInput(_("请填写应用名称。"), detail={"name": ["required"]})
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            org=org, name=name.strip()[:100], channel=channel, key_prefix=raw[:8], key_hash=hash_api_key(raw)
        )
        record_event(actor=actor, action="hotline.api_client.create", obj=client, new={"name": client.name})
    return client, raw
