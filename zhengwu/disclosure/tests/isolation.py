"""The disclosure domain's part of the isolation matrix (tests/test_isolation_matrix.py)."""

from __future__ import annotations

import datetime as dt

from zhengwu.core.tests.isolation import B_MARK, IsolationSpec, World
from zhengwu.disclosure import documents
from zhengwu.disclosure.services import disputes as dispute_svc
from zhengwu.disclosure.services import publications as pub_svc
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.services import templates as template_svc
from zhengwu.disclosure.states import ApplicantKind, Channel, DisputeKind, Outcome
from zhengwu.disclosure.tests.factories import frozen


def _seed(w: World) -> None:
    day = dt.date(2025, 3, 3)
    for side, org, name in (("a", w.a["dept"], "甲县申请人"), ("b", w.b["dept"], f"{B_MARK}申请人")):
        with frozen(day):
            req = svc.request_register(
                actor=None,
                org=org,
                channel=Channel.IN_PERSON,
                applicant_kind=ApplicantKind.NATURAL_PERSON,
                applicant_name=name,
                subject=f"{name}申请的信息",
                submitted_on=day,
                contact_phone="13912345678",
            )
            svc.request_acknowledge(request=req, actor=None)
            column = pub_svc.column_create(actor=None, org=org, code="tzgg", name="通知公告")
            pub = pub_svc.publication_create(
                actor=None, org=org, column=column, title=f"{name}的公告", formed_on=day, body="<p>正文</p>"
            )
            dispute = dispute_svc.dispute_file(
                actor=None, org=org, kind=DisputeKind.RECONSIDERATION, filed_on=day, request=req
            )
        w.objects[f"{side}_request"] = req
        w.objects[f"{side}_publication"] = pub
        w.objects[f"{side}_dispute"] = dispute
        w.objects[f"{side}_document"] = req.documents.first()
    # B's own reply template: a revert aimed at it from county A must leave it in place
    template_svc.document_template_upload(
        actor=None, org=w.b["dept"], kind="reply", data=documents.ensure_template("reply").read_bytes()
    )
    with frozen(dt.date(2025, 3, 10)):
        pub_svc.publication_publish(actor=None, publication=w.objects["b_publication"])
        done = svc.request_register(
            actor=None,
            org=w.b["dept"],
            channel=Channel.IN_PERSON,
            applicant_kind=ApplicantKind.NATURAL_PERSON,
            applicant_name=f"{B_MARK}已答复申请人",
            subject="已答复",
            submitted_on=dt.date(2025, 3, 10),
        )
        svc.request_reply(
            request=done, actor=None, outcome=Outcome.OPEN, legal_basis="条例", delivered_items=f"{B_MARK}文件"
        )


SPEC = IsolationSpec(
    seed=_seed,
    public={
        "portal_disclosure:catalog",
        "portal_disclosure:publication",
        "portal_disclosure:attachment",
        "portal_disclosure:request_new",
        "portal_disclosure:progress",
        "portal_disclosure:document",  # only with the applicant's query code
        "v1:disclosure-public-request-submit",
        "v1:disclosure-public-request-progress",
        "v1:disclosure-publication-list",
        "v1:disclosure-publication-detail",
    },
    lists={
        "staff_disclosure:workbench": lambda w: {},
        "staff_disclosure:dispute_list": lambda w: {},
        "staff_disclosure:publication_list": lambda w: {},
        "staff_disclosure:request_register": lambda w: {},
        "staff_disclosure:publication_new": lambda w: {},
        "staff_disclosure:template_list": lambda w: {},
        "v1:disclosure-request-list": lambda w: {},
        "v1:disclosure-dispute-list": lambda w: {},
    },
    records={
        "staff_disclosure:request_detail": lambda w: {"pk": w.objects["b_request"].pk},
        "staff_disclosure:document_download": lambda w: {"pk": w.objects["b_document"].pk},
        "staff_disclosure:publication_edit": lambda w: {"pk": w.objects["b_publication"].pk},
        "staff_disclosure:template_download": lambda w: {"org": w.b["dept"].code, "kind": "reply"},
        "v1:disclosure-request-detail": lambda w: {"pk": w.objects["b_request"].pk},
    },
    writes=[
        (
            "v1:disclosure-request-action",
            lambda w: {"pk": w.objects["b_request"].pk, "action": "reply"},
            "post",
            lambda w: {"outcome": "open", "legal_basis": "越权", "delivered_items": "越权"},
        ),
        (
            "v1:disclosure-request-list",
            lambda w: {},
            "post",
            lambda w: {
                "org": w.b["dept"].code,
                "channel": "in_person",
                "applicant_kind": "natural_person",
                "applicant_name": "越权",
                "subject": "越权",
                "submitted_on": "2025-03-03",
            },
        ),
        (
            "v1:disclosure-dispute-list",
            lambda w: {},
            "post",
            lambda w: {"org": w.b["dept"].code, "kind": "reconsideration", "filed_on": "2025-03-03"},
        ),
        (
            "v1:disclosure-dispute-decide",
            lambda w: {"pk": w.objects["b_dispute"].pk},
            "post",
            lambda w: {"decided_on": "2025-04-01", "result": "upheld"},
        ),
    ],
    form_writes=[
        (
            "staff_disclosure:template_action",
            lambda w: {"org": w.b["dept"].code, "kind": "reply", "action": "revert"},
            lambda w: {},
        ),
        (
            "staff_disclosure:request_action",
            lambda w: {"pk": w.objects["b_request"].pk, "action": "clarify"},
            lambda w: {"items": "越权补正", "expected": "processing"},
        ),
        (
            "staff_disclosure:dispute_decide",
            lambda w: {"pk": w.objects["b_dispute"].pk},
            lambda w: {"decided_on": "2025-04-01", "result": "upheld"},
        ),
        (
            "staff_disclosure:publication_action",
            lambda w: {"pk": w.objects["b_publication"].pk, "action": "repeal"},
            lambda w: {},
        ),
        (
            "staff_disclosure:request_register",
            lambda w: {},
            lambda w: {
                "org": w.b["dept"].code,
                "channel": "in_person",
                "applicant_kind": "natural_person",
                "applicant_name": "越权",
                "subject": "越权",
                "delivery_form": "paper",
                "submitted_on": "2025-03-03",
            },
        ),
        (
            "staff_disclosure:dispute_list",
            lambda w: {},
            lambda w: {"org": w.b["dept"].code, "kind": "reconsideration", "filed_on": "2025-03-03"},
        ),
        (
            "staff_disclosure:publication_new",
            lambda w: {},
            lambda w: {
                "org": w.b["dept"].code,
                "column": "tzgg",
                "title": "越权",
                "doc_type": "other",
                "formed_on": "2025-03-03",
            },
        ),
    ],
    cli_reads={
        "fee per-request": lambda w: ["11"],
        "fee per-volume": lambda w: ["150"],
        "disclosure due": lambda w: [],
    },
    cli_writes={
        # another county's org: not found for A's staff (exit 2)
        "disclosure due": lambda w: ["--org", w.b["dept"].code],
    },
    app_labels={"disclosure"},
)
