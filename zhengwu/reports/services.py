"""Write use-cases of the reports app: drafting, editing and publishing the annual disclosure report.

The reports app writes only its own tables; the figures come from `compute_annual_report`, which reads.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff
from zhengwu.reports.annual import render
from zhengwu.reports.annual.selectors import checks_pass, compute_annual_report, validate_params
from zhengwu.reports.models import AnnualReport, AnnualReportVersion, VersionStatus

PROSE_FIELDS = ("overview", "problems", "other")
MAX_PROSE = 20000


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def annual_report_draft(*, actor: Staff | None, org: Org, year: int, scope: str) -> AnnualReportVersion:
    """A new draft version, its prose drafted from the current figures."""
    policies.require(actor, "reports.annual.publish", org)
    validate_params(year=year, scope=scope)
    figures = compute_annual_report(org=org, year=year, scope=scope)
    with transaction.atomic():
        report, _created = AnnualReport.objects.get_or_create(org=org, year=year, scope=scope)
        AnnualReport.objects.select_for_update().filter(pk=report.pk).first()
        last = report.versions.aggregate(n=Max("number"))["n"] or 0
        version = AnnualReportVersion.objects.create(
            report=report, number=last + 1, created_by=actor, **figures["sections"]
        )
        record_event(
            actor=actor,
            action="reports.annual_report_draft",
            obj=version,
            org=org,
            new={"year": year, "scope": scope, "number": version.number},
        )
    return version


def annual_report_update_prose(
    *, actor: Staff | None, version: AnnualReportVersion, overview: str, problems: str, other: str
) -> AnnualReportVersion:
    policies.require(actor, "reports.annual.publish", version.report.org)
    new = {"overview": overview.strip(), "problems": problems.strip(), "other": other.strip()}
    errors = {k: [_("内容过长。")] for k, v in new.items() if len(v) > MAX_PROSE}
    if errors:
        raise InvalidInput(_("报告文字有误。"), detail=errors)
    with transaction.atomic():
        locked = AnnualReportVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise Conflict(_("已发布的版本不能修改，请新建草稿。"), code="version_frozen")
        old = locked.sections
        for key, value in new.items():
            setattr(locked, key, value)
        locked.save(update_fields=[*PROSE_FIELDS, "updated_at"])
        record_event(
            actor=actor,
            action="reports.annual_report_update_prose",
            obj=locked,
            org=locked.report.org,
            old={k: v for k, v in old.items() if v != new[k]},
            new={k: v for k, v in new.items() if v != old[k]},
        )
    return locked


def version_report(version: AnnualReportVersion) -> dict[str, Any]:
    """What a version shows: the frozen JSON once published; a draft's live figures with its own prose."""
    if version.data is not None:
        return dict(version.data)
    report = version.report
    figures = compute_annual_report(org=report.org, year=report.year, scope=report.scope)
    figures["sections"] = version.sections
    return figures


def annual_report_publish(*, actor: Staff | None, version: AnnualReportVersion) -> AnnualReportVersion:
    """Freeze the figures and prose, render DOCX and PDF, and publish; refused while a check fails."""
    report = version.report
    policies.require(actor, "reports.annual.publish", report.org)
    with transaction.atomic():
        # Lock first and read the prose as stored: the caller's object may predate an edit.
        locked = AnnualReportVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise Conflict(_("该版本已发布。"), code="already_published")
        data = version_report(locked)
        if not checks_pass(data):
            failed = [c["code"] for c in data["checks"] if not c["ok"]]
            raise Conflict(_("报告校验未通过，不能发布。"), code="checks_failed", detail={"checks": failed})
        docx, pdf = render.render_docx(data), render.render_pdf(data)
        encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
        previous = list(
            AnnualReportVersion.objects.select_for_update().filter(report=report, status=VersionStatus.PUBLISHED)
        )
        for old in previous:
            old.status = VersionStatus.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])
            record_event(
                actor=actor,
                action="reports.annual_report_supersede",
                obj=old,
                org=report.org,
                old={"status": VersionStatus.PUBLISHED},
                new={"status": VersionStatus.SUPERSEDED, "by": locked.number},
            )
        stem = f"{report.org.code}-{report.year}-{report.scope}-v{locked.number}"
        locked.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        locked.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        locked.docx_sha256, locked.pdf_sha256, locked.data_sha256 = _sha256(docx), _sha256(pdf), _sha256(encoded)
        locked.data = data
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = clock.now()
        locked.published_by = actor
        locked.save()
        record_event(
            actor=actor,
            action="reports.annual_report_publish",
            obj=locked,
            org=report.org,
            old={"status": VersionStatus.DRAFT},
            new={"status": VersionStatus.PUBLISHED, "data_sha256": locked.data_sha256, "pdf_sha256": locked.pdf_sha256},
        )
    return locked
