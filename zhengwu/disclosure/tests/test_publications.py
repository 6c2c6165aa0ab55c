"""Publications: index numbers by the org's pattern, attachments checked by content and size, repeal, the catalog's
search ranked title first, stale columns, the QR code."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from zhengwu.core.errors import InvalidInput
from zhengwu.disclosure.models import IndexScheme
from zhengwu.disclosure.selectors import catalog_publications, columns_stale
from zhengwu.disclosure.services import disputes as dispute_svc
from zhengwu.disclosure.services import publications as pub_svc
from zhengwu.disclosure.tests.factories import d, frozen, make_officer, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(county):
    return make_officer(county["dept"])


@pytest.fixture
def column(county, officer):
    return pub_svc.column_create(
        actor=officer, org=county["dept"], code="tzgg", name="通知公告", update_interval_days=30
    )


def _publish(officer, column, title, body="", day="2025-03-03"):
    with frozen(d(day)):
        pub = pub_svc.publication_create(
            actor=officer, org=column.org, column=column, title=title, formed_on=d(day), body=body
        )
        return pub_svc.publication_publish(actor=officer, publication=pub)


def test_index_numbers_follow_the_orgs_pattern_per_year(county, officer, column):
    IndexScheme.objects.create(org=county["dept"], prefix="430S00", pattern="{prefix}/{year}-{seq:05d}")
    a = _publish(officer, column, "一")
    b = _publish(officer, column, "二")
    c = _publish(officer, column, "三", day="2026-01-05")
    assert [a.index_no, b.index_no, c.index_no] == ["430S00/2025-00001", "430S00/2025-00002", "430S00/2026-00001"]


def _docx(text: str) -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_attachments_are_checked_by_content_and_scanned(county, officer, column):
    with frozen(d("2025-03-03")):
        pub = pub_svc.publication_create(
            actor=officer, org=county["dept"], column=column, title="名单", formed_on=d("2025-03-03")
        )
    pdf = pub_svc.attachment_add(actor=officer, publication=pub, name="a.pdf", data=b"%PDF-1.7\n...")
    assert pdf.content_type == "application/pdf"
    with pytest.raises(InvalidInput) as exc:
        pub_svc.attachment_add(actor=officer, publication=pub, name="fake.pdf", data=b"MZ\x90\x00 not a pdf")
    assert exc.value.code == "file_type"
    with pytest.raises(InvalidInput) as exc:
        pub_svc.attachment_add(
            actor=officer, publication=pub, name="big.pdf", data=b"%PDF-" + b"0" * pub_svc.MAX_ATTACHMENT_BYTES
        )
    assert exc.value.code == "file_too_large"
    pub_svc.attachment_add(actor=officer, publication=pub, name="名单.docx", data=_docx("李四 13912345678"))
    hits = pub_svc.publication_scan(pub)
    assert [(h.kind, h.where) for h in hits] == [("mobile", "名单.docx")]
    with frozen(d("2025-03-04")), pytest.raises(InvalidInput) as exc:
        pub_svc.publication_publish(actor=officer, publication=pub)
    assert exc.value.code == "personal_data_found"
    with frozen(d("2025-03-04")):
        with pytest.raises(InvalidInput) as exc:  # the damaged a.pdf has no text the scan could read
            pub_svc.publication_publish(actor=officer, publication=pub, accept_hits_reason="联系人电话依法公示")
        assert exc.value.code == "attachments_unchecked" and "a.pdf" in exc.value.message
        pub = pub_svc.publication_publish(
            actor=officer, publication=pub, accept_hits_reason="联系人电话依法公示", manually_checked=True
        )
    assert pub.status == "published"


def test_search_ranks_title_matches_first(county, officer, column):
    _publish(officer, column, "关于食品经营许可的公告", body="<p>办理营业执照后再申请</p>")
    _publish(officer, column, "关于营业执照办理的通知")
    _publish(officer, column, "无关的通知")
    titles = [p.title for p in catalog_publications(query="营业执照")]
    assert titles == ["关于营业执照办理的通知", "关于食品经营许可的公告"]


def test_repealed_publication_stays_in_the_catalog_marked(county, officer, column):
    pub = _publish(officer, column, "旧办法")
    with frozen(d("2025-06-30")):
        pub = pub_svc.publication_repeal(actor=officer, publication=pub)
    page = Client().get(f"/disclosure/p/{pub.pk}/").content.decode()
    assert "已废止" in page and 'data-testid="qr"' in page and "data:image/svg+xml" in page


def test_stale_columns(county, officer, column):
    _publish(officer, column, "一", day="2025-03-03")
    with frozen(d("2025-04-02")):
        assert columns_stale(officer) == []
    with frozen(d("2025-04-03")):
        assert [s.column.code for s in columns_stale(officer)] == ["tzgg"]


def test_disputes_decided_once(county, officer):
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-05-06")):
        dispute = dispute_svc.dispute_file(
            actor=officer, org=county["dept"], kind="reconsideration", filed_on=d("2025-05-06"), request=request
        )
    assert dispute.ref == "FY-2025-0001"
    with frozen(d("2025-07-01")):
        dispute = dispute_svc.dispute_decide(
            actor=officer, dispute=dispute, decided_on=d("2025-07-01"), result="corrected"
        )
        with pytest.raises(Exception, match="已有结果"):
            dispute_svc.dispute_decide(actor=officer, dispute=dispute, decided_on=d("2025-07-01"), result="upheld")
    assert request.disputes.get().result == "corrected"


def test_search_needs_every_word_and_ranks_by_words_in_the_title(county, officer, column):
    _publish(officer, column, "关于食品安全办理的通知", body="<p>安全生产检查</p>")
    _publish(officer, column, "关于安全生产工作的通知")
    _publish(officer, column, "安全月活动")
    titles = [p.title for p in catalog_publications(query="安全生产")]
    assert titles == ["关于安全生产工作的通知", "关于食品安全办理的通知"]
    # a single character is not in the word index: the substring match still finds it
    assert [p.title for p in catalog_publications(query="月")] == ["安全月活动"]
