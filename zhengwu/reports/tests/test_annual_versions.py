"""Drafting, editing and publishing the annual report: the published version is frozen; checks gate publishing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from zhengwu.core.audit import AuditEvent
from zhengwu.core.errors import Conflict, PermissionDenied
from zhengwu.disclosure.states import ApplicantKind
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.reports import services
from zhengwu.reports.annual.deadlines import annual_report_deadlines
from zhengwu.reports.models import VersionStatus
from zhengwu.reports.tests.annual_data import YEAR, req, seed_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    county, _other = seed_all()
    return county


@pytest.fixture
def officer(county):
    return make_staff(org=county["gov"], role=Role.DISCLOSURE_OFFICER)


def test_officer_drafts_edits_and_publishes_a_frozen_version(county, officer):
    draft = services.annual_report_draft(actor=officer, org=county["gov"], year=YEAR, scope="subtree")
    assert draft.number == 1 and draft.status == VersionStatus.DRAFT
    assert "本年度共新收政府信息公开申请24件，上年结转2件" in draft.overview

    services.annual_report_update_prose(
        actor=officer, version=draft, overview="本年度总体情况良好。", problems="人员不足。", other=draft.other
    )
    published = services.annual_report_publish(actor=officer, version=draft)

    assert published.status == VersionStatus.PUBLISHED
    assert published.data["sections"]["overview"] == "本年度总体情况良好。"
    assert published.data["requests"]["new"]["total"] == 24
    pdf = published.pdf.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == published.pdf_sha256
    assert published.docx.read()[:2] == b"PK"
    actions = set(AuditEvent.objects.filter(object_id=str(published.pk)).values_list("action", flat=True))
    assert {
        "reports.annual_report_draft",
        "reports.annual_report_update_prose",
        "reports.annual_report_publish",
    } <= actions

    # Data recorded later (a late-registered 2025 request) does not change what was published.
    req(county["dept"], ApplicantKind.ENTERPRISE, "2025-06-01")
    assert services.version_report(published)["requests"]["new"]["total"] == 24
    next_draft = services.annual_report_draft(actor=officer, org=county["gov"], year=YEAR, scope="subtree")
    assert services.version_report(next_draft)["requests"]["new"]["total"] == 25


def test_published_version_cannot_be_edited_and_a_correction_supersedes_it(county, officer):
    v1 = services.annual_report_publish(
        actor=officer,
        version=services.annual_report_draft(actor=officer, org=county["gov"], year=YEAR, scope="subtree"),
    )
    with pytest.raises(Conflict):
        services.annual_report_update_prose(actor=officer, version=v1, overview="x", problems="y", other="z")
    v2 = services.annual_report_draft(actor=officer, org=county["gov"], year=YEAR, scope="subtree")
    services.annual_report_publish(actor=officer, version=v2)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    assert v1.data is not None  # the superseded text stays on record


def test_publishing_refused_while_a_check_fails(county, officer, monkeypatch):
    from zhengwu.reports.annual import selectors

    draft = services.annual_report_draft(actor=officer, org=county["gov"], year=YEAR, scope="subtree")
    real = selectors.compute_annual_report

    def inconsistent(**kwargs):
        report = real(**kwargs)
        report["checks"][0]["ok"] = False  # as if the carried-out identity did not hold
        return report

    monkeypatch.setattr(services, "compute_annual_report", inconsistent)
    with pytest.raises(Conflict) as err:
        services.annual_report_publish(actor=officer, version=draft)
    assert err.value.code == "checks_failed"
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.WINDOW_STAFF])
def test_only_officers_and_admins_draft(county, role):
    with pytest.raises(PermissionDenied):
        services.annual_report_draft(
            actor=make_staff(org=county["gov"], role=role), org=county["gov"], year=YEAR, scope="subtree"
        )


def test_a_department_officer_cannot_publish_for_the_county(county):
    officer = make_staff(org=county["dept"], role=Role.DISCLOSURE_OFFICER)
    with pytest.raises(PermissionDenied):
        services.annual_report_draft(actor=officer, org=county["gov"], year=YEAR, scope="subtree")


def test_deadline_watch(county, officer):
    dept_officer = make_staff(org=county["dept"], role=Role.DISCLOSURE_OFFICER)
    services.annual_report_publish(
        actor=dept_officer,
        version=services.annual_report_draft(actor=dept_officer, org=county["dept"], year=YEAR, scope="self"),
    )
    rows = {r.org.pk: r for r in annual_report_deadlines(root=county["gov"], year=YEAR, today=dt.date(YEAR + 1, 2, 1))}
    # The service center and the village station are not reporting bodies.
    assert set(rows) == {county["gov"].pk, county["dept"].pk, county["dept2"].pk, county["town"].pk}
    assert rows[county["dept"].pk].published and not rows[county["dept"].pk].overdue
    assert rows[county["dept2"].pk].overdue and rows[county["dept2"].pk].due_on == dt.date(YEAR + 1, 1, 31)
    # Governments have until 31 March.
    assert not rows[county["gov"].pk].overdue and rows[county["gov"].pk].due_on == dt.date(YEAR + 1, 3, 31)


def test_the_county_wide_report_needs_view_over_the_whole_subtree(county):
    from zhengwu.orgs.models import Scope
    from zhengwu.reports.annual.selectors import annual_report_read

    dept_officer = make_staff(org=county["dept"], role=Role.DISCLOSURE_OFFICER)
    own_only = make_staff(org=county["gov"], role=Role.LEADER, scope=Scope.SELF)
    with pytest.raises(PermissionDenied):
        annual_report_read(actor=dept_officer, org=county["gov"], year=YEAR, scope="self")
    with pytest.raises(PermissionDenied):
        annual_report_read(actor=own_only, org=county["gov"], year=YEAR, scope="subtree")
    # The government's own figures are theirs to see.
    assert (
        annual_report_read(actor=own_only, org=county["gov"], year=YEAR, scope="self")["requests"]["new"]["total"] == 1
    )
