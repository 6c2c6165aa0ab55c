"""Intake: an application online (`case_submit`) or at the window (`case_register`), and materials arriving later."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.cases.models import Case, CaseMaterial
from zhengwu.cases.notifications import Message, notify_after_commit
from zhengwu.cases.policies import require_case
from zhengwu.cases.states import TRANSITIONS, ApplicantKind, CaseStatus, Channel
from zhengwu.catalog.models import Material, Mode, ServiceItem
from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput, PermissionDenied
from zhengwu.core.masking import id_number_valid
from zhengwu.core.querycode import format_query_code
from zhengwu.core.transitions import transition
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff, Window

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOADS = 20
# What a material may be, told by its first bytes — never by the name or the browser's word for it.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class Applicant:
    name: str
    kind: str = ApplicantKind.PERSON
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    material_id: int | None = None


def _max_upload_bytes() -> int:
    return int(getattr(settings, "CASES_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def sniff(data: bytes) -> tuple[str, str] | None:
    for magic, content_type, suffix in SIGNATURES:
        if data.startswith(magic):
            return content_type, suffix
    return None


def _check_uploads(uploads: Sequence[Upload]) -> None:
    if len(uploads) > MAX_UPLOADS:
        raise InvalidInput(_("一次最多上传 %(n)s 个文件。") % {"n": MAX_UPLOADS}, detail={"files": ["too_many"]})
    limit = _max_upload_bytes()
    for up in uploads:
        if len(up.data) > limit:
            raise InvalidInput(
                _("文件“%(f)s”超过 %(mb)s MB。") % {"f": up.name, "mb": limit // (1024 * 1024)},
                detail={"files": ["too_large"]},
            )
        if sniff(up.data) is None:
            raise InvalidInput(
                _("文件“%(f)s”不是 PDF、JPEG 或 PNG 文件。") % {"f": up.name}, detail={"files": ["type"]}
            )


def _store_uploads(case: Case, uploads: Sequence[Upload], *, for_correction: bool) -> list[CaseMaterial]:
    materials = {m.pk: m for m in Material.objects.filter(version=case.item_version)}
    now = clock.now()
    stored = []
    for i, up in enumerate(uploads, start=1):
        sniffed = sniff(up.data)
        assert sniffed is not None
        content_type, suffix = sniffed
        material = materials.get(up.material_id) if up.material_id is not None else None
        row = CaseMaterial(
            case=case,
            material=material,
            name=(material.name if material is not None else up.name)[:200],
            content_type=content_type,
            size=len(up.data),
            for_correction=for_correction,
            uploaded_at=now,
        )
        row.file.save(f"{case.query_code}-{i}{suffix}", ContentFile(up.data), save=False)
        row.save()
        stored.append(row)
    return stored


def _check_applicant(applicant: Applicant) -> None:
    problems: dict[str, list[str]] = {}
    if not applicant.name.strip():
        problems["applicant_name"] = [_("请填写申请人。")]
    if applicant.kind not in ApplicantKind.values:
        problems["applicant_kind"] = [_("申请人类型不正确。")]
    if applicant.kind == ApplicantKind.PERSON and applicant.id_number and not id_number_valid(applicant.id_number):
        problems["applicant_id_number"] = [_("居民身份证号码校验不通过。")]
    phone = applicant.phone.strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        problems["applicant_phone"] = [_("联系电话格式不正确。")]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], detail=problems)


def _next_ref(org: Org) -> str:
    """YYYYMMDD + a daily sequence in the org; the org row's lock serialises concurrent intakes."""
    Org.objects.select_for_update().filter(pk=org.pk).first()
    prefix = clock.today().strftime("%Y%m%d")
    last = (
        Case.objects.filter(org=org, ref__startswith=prefix, ref__regex=r"^\d{8}-\d{5}$")
        .order_by("-ref")
        .values_list("ref", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}-{seq:05d}"


def _center_of(item: ServiceItem, window: Window | None) -> Org | None:
    """The center whose window staff act on the case: the intake window's, the item's window's, or the handling
    org itself when it is a center (its posts reach cases through `center`, see policies.case_q)."""
    from zhengwu.cases.policies import CENTER_KINDS

    if window is not None:
        return window.hall.org
    version = item.current
    if version is not None and version.window is not None:
        return version.window.hall.org
    return item.org if item.org.kind in CENTER_KINDS else None


_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _check_token(client_token: str) -> str:
    token = client_token.strip()
    if token and not _TOKEN.fullmatch(token):
        raise InvalidInput(_("提交令牌无效，请刷新页面后重新提交。"), detail={"client_token": ["invalid"]})
    return token


def _submitted_before(*, item: ServiceItem, applicant: Applicant, token: str) -> Case | None:
    """The case this token made already (a retried or double-clicked submission), read under the org's lock so a
    second submission racing the first waits for it and finds its case; Conflict if the token made another."""
    if not token:
        return None
    Org.objects.select_for_update().filter(pk=item.org_id).first()
    existing = Case.objects.filter(org_id=item.org_id, client_token=token).first()
    if existing is not None and (existing.item_id != item.pk or existing.applicant_name != applicant.name.strip()):
        raise Conflict(
            _("该提交令牌已用于另一份申请；请刷新页面后重新提交。"), code="idempotency_conflict", detail=None
        )
    return existing


def _create(
    *,
    actor: Staff | None,
    item: ServiceItem,
    applicant: Applicant,
    channel: str,
    window: Window | None,
    summary: str,
    visits: int,
    action: str,
    token: str = "",
) -> Case:
    version = item.current
    if version is None or not item.is_active:
        raise InvalidInput(_("该事项已停止办理。"), detail={"item": ["inactive"]})
    case = Case.objects.create(
        client_token=token or None,
        org=item.org,
        desk=item.org,
        center=_center_of(item, window),
        window=window,
        ref=_next_ref(item.org),
        item=item,
        item_version=version,
        channel=channel,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip().upper(),
        applicant_phone=applicant.phone.strip(),
        summary=summary.strip()[:500],
        submitted_at=clock.now(),
        mode=version.mode,
        visits=visits,
        received_by=actor,
    )
    record_event(
        actor=actor,
        action=action,
        obj=case,
        new={"ref": case.ref, "item": item.code, "version": version.number, "channel": channel},
    )
    return case


def case_submit(
    *,
    item: ServiceItem,
    applicant: Applicant,
    summary: str = "",
    uploads: Sequence[Upload] = (),
    client_token: str = "",
) -> Case:
    """An online application from the portal (no account): a case waiting for acceptance, with its query code.
    Idempotent by `client_token` (the form's one-time token, unique in the handling org): a retried or
    double-clicked submission returns the case the first one made and stores nothing again."""
    _check_applicant(applicant)
    _check_uploads(uploads)
    token = _check_token(client_token)
    version = item.current
    if version is None or not version.online:
        raise InvalidInput(_("该事项暂不支持网上申请，请到窗口办理。"), detail={"item": ["not_online"]})
    with transaction.atomic():
        existing = _submitted_before(item=item, applicant=applicant, token=token)
        if existing is not None:
            return existing
        case = _create(
            token=token,
            actor=None,
            item=item,
            applicant=applicant,
            channel=Channel.ONLINE,
            window=None,
            summary=summary,
            visits=0,
            action="case.submit",
        )
        _store_uploads(case, uploads, for_correction=False)
    notify_after_commit(
        Message(
            case.org_id,
            case.pk,
            "case.submitted",
            case.applicant_phone,
            _("您申请的“%(item)s”已提交，查询码 %(code)s，请留意受理结果。")
            % {"item": version.name, "code": format_query_code(case.query_code)},
        )
    )
    return case


def case_register(
    *,
    actor: Staff | None,
    window: Window,
    item: ServiceItem,
    applicant: Applicant,
    channel: str = Channel.WINDOW,
    summary: str = "",
    then: str = "accept",
    missing: Sequence[str] = (),
    decision: str = "approved",
    opinion: str = "",
    client_token: str = "",
) -> Case:
    """Take an application at the window (the applicant's first visit) and, in the same transaction, act on it:
    `then` = "accept" (受理), "correction" (一次性告知 of `missing`), "instant" (即办: accept and conclude on the
    spot) or "none" (leave it waiting for acceptance). Idempotent by `client_token` like `case_submit`: a
    resubmitted intake form returns the case (and what was done to it) instead of registering it twice."""
    from zhengwu.cases.services import review

    policies.require(actor, "cases.intake", window.hall.org)
    if not window.departments.filter(pk=item.org_id).exists():
        raise InvalidInput(_("该窗口不受理这个部门的事项。"), detail={"item": ["not_at_window"]})
    if channel not in {Channel.WINDOW, Channel.AGENT, Channel.MAIL, Channel.SELF_SERVICE}:
        raise InvalidInput(_("窗口收件的渠道不正确。"), detail={"channel": ["invalid"]})
    if then not in {"accept", "correction", "instant", "none"}:
        raise InvalidInput(_("未知的收件操作。"), detail={"then": ["invalid"]})
    version = item.current
    if then == "instant" and (version is None or version.mode != Mode.INSTANT):
        raise InvalidInput(_("只有即办件可以当场办结。"), detail={"then": ["not_instant"]})
    _check_applicant(applicant)
    token = _check_token(client_token)
    with transaction.atomic():
        existing = _submitted_before(item=item, applicant=applicant, token=token)
        if existing is not None:
            return existing
        case = _create(
            token=token,
            actor=actor,
            item=item,
            applicant=applicant,
            channel=channel,
            window=window,
            summary=summary,
            visits=1 if channel in {Channel.WINDOW, Channel.AGENT} else 0,
            action="case.register",
        )
        if then == "accept":
            case = review.case_accept(actor=actor, case=case, opinion=opinion)
        elif then == "correction":
            case = review.case_request_correction(actor=actor, case=case, missing=missing, note=opinion)
        elif then == "instant":
            case = review.case_conclude_instant(actor=actor, case=case, decision=decision, opinion=opinion)
    return case


def case_add_materials(*, actor: Staff | None, case: Case, uploads: Sequence[Upload]) -> list[CaseMaterial]:
    """More files for an open case (a scanned original at the window, or the applicant's upload)."""
    if actor is not None:
        require_case(actor, "cases.handle", case)
    if case.status not in {CaseStatus.SUBMITTED, CaseStatus.CORRECTION}:
        raise Conflict(_("该办件已受理或已办结，不能再上传材料。"), detail={"status": case.status})
    _check_uploads(uploads)
    with transaction.atomic():
        rows = _store_uploads(case, uploads, for_correction=case.status == CaseStatus.CORRECTION)
        record_event(actor=actor, action="case.upload", obj=case, new={"files": [r.name for r in rows]})
    return rows


def case_receive_correction(
    *,
    actor: Staff | None,
    case: Case,
    uploads: Sequence[Upload] = (),
    at_window: bool = False,
    expected: str | None = None,
) -> Case:
    """The corrected materials arrive — uploaded by the applicant (actor None) or brought to the window (a visit).
    The case waits for acceptance again."""
    if actor is None and at_window:
        raise PermissionDenied(_("窗口收取补正材料需要工作人员操作。"), detail={"permission": "cases.handle"})
    if actor is not None:
        require_case(actor, "cases.handle", case)
    _check_uploads(uploads)
    if actor is None and not uploads:
        raise InvalidInput(_("请上传补正材料。"), detail={"files": ["required"]})
    now = clock.now()
    with transaction.atomic():
        fresh = Case.objects.select_for_update().get(pk=case.pk)  # the visit count is read under the lock
        locked = transition(
            fresh,
            to=CaseStatus.SUBMITTED,
            transitions=TRANSITIONS,
            actor=actor,
            action="case.correction_received",
            expected=expected or case.status,
            changes={"visits": fresh.visits + 1} if at_window else {},
            reason=_("窗口收取补正材料") if at_window else _("申请人网上提交补正材料"),
        )
        _store_uploads(locked, uploads, for_correction=True)
        correction = locked.correction
        correction.received_at = now
        correction.received_by = actor
        correction.save(update_fields=["received_at", "received_by"])
    notify_after_commit(
        Message(
            case.org_id,
            case.pk,
            "case.correction_received",
            "",
            _("办件 %(ref)s 已收到补正材料，请审核受理。") % {"ref": case.ref},
        )
    )
    return locked
