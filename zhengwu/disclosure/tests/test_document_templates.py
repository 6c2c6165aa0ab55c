"""Editable request-document templates: the disclosure office uploads an edited DOCX per kind, checked before it is
kept; the nearest org up the tree with its own template serves the documents, else the default; revert restores."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.disclosure.documents import docx_text
from zhengwu.disclosure.models import DocumentTemplate
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.services import templates as template_svc
from zhengwu.disclosure.tests.factories import d, frozen, make_officer, make_request

pytestmark = pytest.mark.django_db


def _docx(*paragraphs: str | list[str]) -> bytes:
    """A DOCX; a list is one paragraph typed as several formatting runs."""
    doc = Document()
    for p in paragraphs:
        runs = [p] if isinstance(p, str) else p
        paragraph = doc.add_paragraph()
        for i, text in enumerate(runs):
            paragraph.add_run(text).bold = i % 2 == 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _acknowledgement_text(org, officer) -> str:
    request = make_request(org=org, actor=officer, received_on=d("2025-03-03"), applicant_name="张三")
    with frozen(d("2025-03-04")):
        svc.request_acknowledge(request=request, actor=officer)
    doc = request.documents.get(kind="acknowledgement")
    with doc.file.open("rb") as f:
        return docx_text(f.read())


def test_the_nearest_override_serves_the_documents_and_revert_restores(county):
    county_officer = make_officer(county["gov"])
    dept_officer = make_officer(county["dept"])
    assert "本机关于2025年3月3日收到您提交的政府信息公开申请" in _acknowledgement_text(county["dept"], dept_officer)

    template_svc.document_template_upload(
        actor=county_officer, org=county["gov"], kind="acknowledgement", data=_docx("县统一回执：{{applicant_name}}")
    )
    assert "县统一回执：张三" in _acknowledgement_text(county["dept"], dept_officer)

    template_svc.document_template_upload(
        actor=dept_officer,
        org=county["dept"],
        kind="acknowledgement",
        data=_docx("部门回执 {{ref}} {{applicant_name}}"),
    )
    text = _acknowledgement_text(county["dept"], dept_officer)
    assert "部门回执" in text and "张三" in text and "{{" not in text

    template_svc.document_template_revert(actor=dept_officer, org=county["dept"], kind="acknowledgement")
    assert "县统一回执：张三" in _acknowledgement_text(county["dept"], dept_officer)
    actions = list(
        AuditEvent.objects.filter(action__startswith="disclosure.template_").values_list("action", flat=True)
    )
    assert actions == ["disclosure.template_upload", "disclosure.template_upload", "disclosure.template_revert"]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param(b"PK\x03\x04 not really a docx", "不是可以打开的 DOCX", id="not-a-docx"),
        pytest.param(_docx("回执 {{applicant_name}} {{salary}}"), "{{salary}} 不是本文书可用的名称", id="unknown-name"),
        pytest.param(_docx(["回执 {{applic", "ant_name}}"]), "{{applicant_name}} 被拆分", id="split-across-runs"),
        pytest.param(_docx("回执 {{申请人}}"), "不是有效的占位符", id="malformed"),
    ],
)
def test_a_bad_template_is_refused_saying_why(county, data, says):
    officer = make_officer(county["dept"])
    with pytest.raises(InvalidInput) as exc:
        template_svc.document_template_upload(actor=officer, org=county["dept"], kind="acknowledgement", data=data)
    assert exc.value.code == "template_invalid" and says in exc.value.message
    assert not DocumentTemplate.objects.exists()


def test_another_countys_officer_cannot_change_the_template(county, other_county):
    stranger = make_officer(other_county["dept"])
    with pytest.raises(PermissionDenied):
        template_svc.document_template_upload(
            actor=stranger, org=county["dept"], kind="reply", data=_docx("{{applicant_name}}")
        )


def test_the_staff_page_downloads_uploads_refuses_and_reverts(county):
    officer = make_officer(county["dept"])
    web = Client()
    web.force_login(officer)
    code = county["dept"].code
    page = web.get("/staff/disclosure/templates/")
    assert page.status_code == 200 and "政府信息公开申请答复书" in page.content.decode()
    default = web.get(f"/staff/disclosure/templates/{code}/reply/")
    assert "{{outcome}}" in docx_text(default.content)

    refused = web.post(
        f"/staff/disclosure/templates/{code}/reply/upload/",
        {"file": io.BytesIO(_docx(["答复：{{out", "come}}"]))},
        follow=True,
    )
    assert "{{outcome}} 被拆分" in refused.content.decode()

    upload = io.BytesIO(_docx("本局答复：{{outcome}}"))
    upload.name = "答复书.docx"
    web.post(f"/staff/disclosure/templates/{code}/reply/upload/", {"file": upload})
    assert "本局答复：{{outcome}}" in docx_text(web.get(f"/staff/disclosure/templates/{code}/reply/").content)
    assert "恢复默认" in web.get("/staff/disclosure/templates/").content.decode()

    web.post(f"/staff/disclosure/templates/{code}/reply/revert/")
    assert "{{outcome}}。" in docx_text(web.get(f"/staff/disclosure/templates/{code}/reply/").content)
    assert not DocumentTemplate.objects.exists()


def test_placeholders_in_the_page_header_are_filled_and_checked(county):
    officer = make_officer(county["dept"])
    doc = Document(io.BytesIO(_docx("回执 {{applicant_name}}")))
    doc.sections[0].header.paragraphs[0].text = "{{org_name}} 政府信息公开"
    out = io.BytesIO()
    doc.save(out)
    template_svc.document_template_upload(
        actor=officer, org=county["dept"], kind="acknowledgement", data=out.getvalue()
    )
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-04")):
        svc.request_acknowledge(request=request, actor=officer)
    with request.documents.get(kind="acknowledgement").file.open("rb") as f:
        header = Document(f).sections[0].header.paragraphs[0].text
    assert header == f"{county['dept'].name} 政府信息公开"

    doc.sections[0].header.paragraphs[0].text = "{{org_code}}"
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(InvalidInput) as exc:
        template_svc.document_template_upload(
            actor=officer, org=county["dept"], kind="acknowledgement", data=out.getvalue()
        )
    assert "{{org_code}} 不是本文书可用的名称" in exc.value.message
