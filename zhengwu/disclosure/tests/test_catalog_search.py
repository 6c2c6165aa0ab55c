"""The public catalog's word search: ranking (title words first, then newest) for one and several words, the word
rows' copy of the catalog date, org and column kept in step on publish, update, repeal and ledger import, the org,
subtree and column filters, and paging without a total count on the portal and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from zhengwu.core.ledger import ledger_import
from zhengwu.disclosure.models import Publication, PublicationTerm
from zhengwu.disclosure.search import publication_index
from zhengwu.disclosure.selectors import catalog_publications
from zhengwu.disclosure.services import publications as pub_svc
from zhengwu.disclosure.tests.factories import d, frozen, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(county):
    return make_officer(county["gov"])  # publishes for the government and every org under it


@pytest.fixture
def column(county, officer):
    return pub_svc.column_create(actor=officer, org=county["dept"], code="tzgg", name="通知公告")


def _draft(officer, column, title, body="", day="2025-03-03"):
    with frozen(d(day)):
        return pub_svc.publication_create(
            actor=officer, org=column.org, column=column, title=title, formed_on=d(day), body=body
        )


def _publish(officer, column, title, body="", day="2025-03-03"):
    pub = _draft(officer, column, title, body, day)
    with frozen(d(day)):
        return pub_svc.publication_publish(actor=officer, publication=pub)


def _titles(**kwargs) -> list[str]:
    return [p.title for p in catalog_publications(**kwargs)]


def test_one_word_title_matches_first_then_newest(county, officer, column):
    _publish(officer, column, "关于营业执照办理的通知", day="2025-03-03")
    _publish(officer, column, "食品经营许可公告", body="<p>先办理营业执照</p>", day="2025-05-06")
    _publish(officer, column, "营业执照年报提醒", day="2025-04-01")
    _publish(officer, column, "无关的通知", day="2025-06-02")
    assert _titles(query="营业执照") == ["营业执照年报提醒", "关于营业执照办理的通知", "食品经营许可公告"]


def test_several_words_rank_by_how_many_are_only_in_the_body(county, officer, column):
    _publish(officer, column, "营业执照办理指南", body="<p>年报工作安排</p>", day="2025-03-03")  # one in the body
    _publish(officer, column, "关于营业执照年报的通知", day="2025-03-04")  # both in the title
    # both in the body
    _publish(officer, column, "工作简报", body="<p>企业应按时完成营业执照年报</p>", day="2025-03-05")
    _publish(officer, column, "年报公示提醒", body="<p>营业执照</p>", day="2025-03-06")  # one in the body, newer
    _publish(officer, column, "营业执照办理提醒", day="2025-03-07")  # only one of the words
    expected = ["关于营业执照年报的通知", "年报公示提醒", "营业执照办理指南", "工作简报"]
    assert _titles(query="营业执照 年报") == expected
    # the same order whichever word is the rarer one (the search starts from the rarer)
    for day in ("2025-02-03", "2025-02-04", "2025-02-05"):
        _publish(officer, column, "年报工作安排", day=day)
    assert _titles(query="营业执照 年报") == expected
    assert _titles(query="营业执照 年报 全县") == []  # a word in no publication: nothing, not everything


def test_drafts_are_not_found_until_published_and_repealed_ones_stay(county, officer, column):
    draft = _draft(officer, column, "关于营业执照办理的通知")
    assert _titles(query="营业执照") == []
    with frozen(d("2025-03-04")):
        published = pub_svc.publication_publish(actor=officer, publication=draft)
    assert _titles(query="营业执照") == ["关于营业执照办理的通知"]
    with frozen(d("2025-06-30")):
        pub_svc.publication_repeal(actor=officer, publication=published)
    found = list(catalog_publications(query="营业执照"))
    assert [(p.title, p.status) for p in found] == [("关于营业执照办理的通知", "repealed")]


def test_an_edited_title_is_found_by_its_new_words_only(county, officer, column):
    pub = _publish(officer, column, "关于营业执照办理的通知")
    pub_svc.publication_update(actor=officer, publication=pub, title="关于食品经营许可的通知")
    assert _titles(query="营业执照") == []
    assert _titles(query="食品经营许可") == ["关于食品经营许可的通知"]
    # re-indexing keeps the catalog date: the publication stays findable
    publication_index(Publication.objects.filter(pk=pub.pk))
    assert _titles(query="食品经营许可") == ["关于食品经营许可的通知"]


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_ledger_import_keeps_the_word_rows_in_step(county, tmp_path):
    org = county["dept"]
    head = "编号,标题,文号,文件类型,栏目,形成日期,公开日期,废止日期\n"
    draft = head + "P1,关于营业执照办理的通知,,其他,通知公告,2025-09-26,,\n"
    ledger_import(actor=None, kind_name="publications", path=_csv(tmp_path, draft), org=org)
    assert _titles(query="营业执照") == []
    # the same title, now published in another column: the words stay, their copy follows
    published = head + "P1,关于营业执照办理的通知,,其他,政策文件,2025-09-26,2025-10-31,\n"
    result = ledger_import(actor=None, kind_name="publications", path=_csv(tmp_path, published), org=org)
    assert result.updated == 1
    policy = Publication.objects.get(ref="P1").column
    assert policy.name == "政策文件"
    assert _titles(query="营业执照", org=org, column=policy) == ["关于营业执照办理的通知"]
    assert set(PublicationTerm.objects.filter(publication__ref="P1").values_list("published_on", "column")) == {
        (d("2025-10-31"), policy.pk)
    }
    # a new document number is searchable
    numbered = head + "P1,关于营业执照办理的通知,青市监〔2025〕3号,其他,政策文件,2025-09-26,2025-10-31,\n"
    ledger_import(actor=None, kind_name="publications", path=_csv(tmp_path, numbered), org=org)
    assert _titles(query="青市监") == ["关于营业执照办理的通知"]


def test_org_subtree_and_column_filters(county, officer, column):
    other = pub_svc.column_create(actor=officer, org=county["dept"], code="zcwj", name="政策文件")
    gov_column = pub_svc.column_create(actor=officer, org=county["gov"], code="tzgg", name="通知公告")
    _publish(officer, column, "市场监管局营业执照通知", day="2025-03-05")
    _publish(officer, other, "市场监管局营业执照政策", day="2025-03-04")
    _publish(officer, gov_column, "县政府营业执照通知", day="2025-03-03")
    assert _titles(query="营业执照", org=county["dept"]) == ["市场监管局营业执照通知", "市场监管局营业执照政策"]
    assert _titles(query="营业执照", org=county["dept"], column=other) == ["市场监管局营业执照政策"]
    assert _titles(query="营业执照", org=county["gov"]) == ["县政府营业执照通知"]
    assert _titles(query="营业执照", org=county["gov"], subtree=True) == [
        "市场监管局营业执照通知",
        "市场监管局营业执照政策",
        "县政府营业执照通知",
    ]
    assert _titles(query="营业执照", org=county["dept2"], subtree=True) == []
    assert _titles(org=county["gov"], subtree=True)[0] == "市场监管局营业执照通知"  # no query: newest first


def test_pages_without_a_total(county, officer, column):
    for i in range(25):
        _publish(officer, column, f"营业执照公告第{i:02d}号", day=f"2025-03-{i + 1:02d}")
    portal = Client()
    first = portal.get("/disclosure/", {"q": "营业执照"}).content.decode()
    assert "营业执照公告第24号" in first and "营业执照公告第05号" in first and "营业执照公告第04号" not in first
    assert "page=2" in first and "第 1 页" in first
    second = portal.get("/disclosure/", {"q": "营业执照", "page": 2}).content.decode()
    assert "营业执照公告第04号" in second and "营业执照公告第00号" in second and "page=3" not in second
    api = Client().get("/api/v1/disclosure/publications/", {"q": "营业执照", "page_size": 10}).json()
    assert len(api["results"]) == 10 and api["previous"] is None and "page=2" in api["next"]
    assert api["results"][0]["title"] == "营业执照公告第24号"
    last = Client().get("/api/v1/disclosure/publications/", {"q": "营业执照", "page_size": 10, "page": 3}).json()
    assert [r["title"] for r in last["results"]] == [f"营业执照公告第{i:02d}号" for i in range(4, -1, -1)]
    assert last["next"] is None and "page=2" in last["previous"]
