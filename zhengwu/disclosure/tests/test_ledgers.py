"""The four disclosure ledgers (spec/cli-and-ledgers.md): GB18030 CSV and XLSX, Chinese headers, cross-column checks,
all-or-nothing, idempotent re-import, and export that reads back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhengwu.core.ledger import LedgerInvalid, ledger_export, ledger_import
from zhengwu.core.models import AuditEvent
from zhengwu.disclosure.models import Clarification, DisclosureRequest, Dispute, Enforcement, Extension, Publication
from zhengwu.disclosure.states import RequestStatus
from zhengwu.disclosure.tests.factories import d, frozen

pytestmark = pytest.mark.django_db

REQUESTS_CSV = (
    "编号,申请人类型,申请人,申请方式,收到申请日期,申请内容,补正告知日期,收到补正日期,征求意见起,征求意见止,"
    "延期工作日,答复日期,办理结果,信息处理费\n"
    "2026-001,自然人,张三,当面,2026-09-25,道路改造招标文件,2026-09-28,2026-09-30,,,,,,\n"
    "2026-002,商业企业,某某公司,信函,2026-03-02,施工许可档案,,,2026-03-09,2026-03-13,,2026-04-03,partial,\n"
    "2026-003,科研机构,某研究所,网络,2026-03-02,水质监测数据,,,,,10,,,100.00\n"
    "2025-120,other_org,某协会,fax,2025-12-15,年度预算,,,,,,2026-01-08,open,\n"
)


def _file(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_gb18030_requests_import_with_steps_and_due_dates(county, tmp_path):
    org = county["dept"]
    path = _file(tmp_path, "台账.csv", REQUESTS_CSV, "gb18030")
    with frozen(d("2026-10-09")):
        result = ledger_import(actor=None, kind_name="disclosure-requests", path=path, org=org)
    assert result.created == 4
    first = DisclosureRequest.objects.get(org=org, ref="2026-001")
    assert first.status == RequestStatus.PROCESSING
    assert first.due_on == d("2026-11-03")  # restarted from 30 Sep 2026, across National Day
    assert Clarification.objects.get(request=first).received_on == d("2026-09-30")
    second = DisclosureRequest.objects.get(org=org, ref="2026-002")
    assert second.status == RequestStatus.REPLIED and second.outcome == "partial"
    assert second.due_on == d("2026-04-03")  # 30 Mar + the 4 paused workdays of (9 Mar, 13 Mar]
    third = DisclosureRequest.objects.get(org=org, ref="2026-003")
    assert Extension.objects.get(request=third).workdays == 10
    assert third.due_on == d("2026-04-14")  # 30 Mar + 10 workdays (Qingming 4–6 Apr 2026)
    assert third.fee_yuan == 100


def test_reimport_changes_nothing_and_a_changed_row_is_audited(county, tmp_path):
    org = county["dept"]
    path = _file(tmp_path, "a.csv", REQUESTS_CSV)
    with frozen(d("2026-10-09")):
        ledger_import(actor=None, kind_name="disclosure-requests", path=path, org=org)
        events = AuditEvent.objects.count()
        again = ledger_import(actor=None, kind_name="disclosure-requests", path=path, org=org)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
        assert AuditEvent.objects.count() == events
        changed = _file(tmp_path, "b.csv", REQUESTS_CSV.replace(",,,,,10,,,100.00", ",,,,,15,,,100.00"))
        result = ledger_import(actor=None, kind_name="disclosure-requests", path=changed, org=org)
    assert result.updated == 1
    assert Extension.objects.get(request__ref="2026-003").workdays == 15
    assert AuditEvent.objects.filter(action="ledger.steps").exists()


def test_one_bad_row_imports_nothing_and_names_every_problem(county, tmp_path):
    bad = REQUESTS_CSV + (
        "2026-004,自然人,李四,当面,2026-03-02,某文件,,,,,,2026-03-20,,\n"  # replied without outcome
        "2026-005,自然人,王五,当面,2026-03-02,某文件,,,,,,,open,\n"  # outcome without reply
        "2026-006,自然人,赵六,当面,2026-03-02,某文件,,2026-03-05,,,,,,\n"  # clarification received, never asked
        "2026-007,自然人,钱七,当面,2026-03-02,某文件,,,,,21,,,\n"  # extension over 20
    )
    path = _file(tmp_path, "bad.csv", bad)
    with pytest.raises(LedgerInvalid) as exc:
        ledger_import(actor=None, kind_name="disclosure-requests", path=path, org=county["dept"])
    lines = {p.line for p in exc.value.problems}
    assert lines == {6, 7, 8, 9}
    assert DisclosureRequest.objects.count() == 0


def test_xlsx_export_reads_back_unchanged(county, tmp_path):
    org = county["dept"]
    with frozen(d("2026-10-09")):
        ledger_import(actor=None, kind_name="disclosure-requests", path=_file(tmp_path, "a.csv", REQUESTS_CSV), org=org)
        data = ledger_export(actor=None, kind_name="disclosure-requests", org=org, fmt="xlsx")
        xlsx = tmp_path / "out.xlsx"
        xlsx.write_bytes(data)
        again = ledger_import(actor=None, kind_name="disclosure-requests", path=xlsx, org=org)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert AuditEvent.objects.filter(action="export.personal_data", object_type="ledger.disclosure-requests").exists()


def test_disputes_link_to_requests_of_the_org(county, tmp_path):
    org = county["dept"]
    with frozen(d("2026-10-09")):
        ledger_import(actor=None, kind_name="disclosure-requests", path=_file(tmp_path, "a.csv", REQUESTS_CSV), org=org)
    text = (
        "ref,request_ref,kind,filed_on,decided_on,result\n"
        "FY-1,2026-002,reconsideration,2026-04-20,2026-06-01,upheld\n"
        "SS-1,,litigation_direct,2026-05-01,,\n"
    )
    result = ledger_import(actor=None, kind_name="disclosure-disputes", path=_file(tmp_path, "d.csv", text), org=org)
    assert result.created == 2
    assert Dispute.objects.get(ref="FY-1").request.ref == "2026-002"
    unknown = text.replace("2026-002", "NOPE")
    with pytest.raises(LedgerInvalid):
        ledger_import(actor=None, kind_name="disclosure-disputes", path=_file(tmp_path, "e.csv", unknown), org=org)
    pending_with_result = "ref,kind,filed_on,result\nX,reconsideration,2026-04-20,upheld\n"
    with pytest.raises(LedgerInvalid):
        ledger_import(
            actor=None, kind_name="disclosure-disputes", path=_file(tmp_path, "f.csv", pending_with_result), org=org
        )


def test_publications_and_enforcement_import(county, tmp_path):
    org = county["dept"]
    pubs = (
        "编号,标题,文号,文件类型,栏目,形成日期,公开日期,废止日期\n"
        "P1,关于营业执照办理的通知,青市监〔2025〕3号,行政规范性文件,通知公告,2025-09-26,2025-10-31,\n"
        "P2,县市场监管规章,,regulation,政策文件,2024-01-02,2024-01-05,2025-06-30\n"
    )
    result = ledger_import(
        actor=None, kind_name="publications", path=_file(tmp_path, "p.csv", pubs, "gb18030"), org=org
    )
    assert result.created == 2
    p1 = Publication.objects.get(ref="P1")
    assert p1.status == "published" and p1.published_late and p1.index_no.startswith(f"{org.code}/2025-")
    assert Publication.objects.get(ref="P2").status == "repealed"
    again = ledger_import(actor=None, kind_name="publications", path=_file(tmp_path, "p.csv", pubs), org=org)
    assert again.unchanged == 2
    enf = "ref,kind,decided_on\nCF-1,punishment,2025-05-01\nQZ-1,行政强制,2025-06-01\n"
    ledger_import(actor=None, kind_name="enforcement", path=_file(tmp_path, "e.csv", enf), org=org)
    assert Enforcement.objects.filter(org=org).count() == 2
