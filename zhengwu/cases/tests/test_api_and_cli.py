"""The API and the CLI call the same services: same rules, same errors ({code, message, detail}; exit 2)."""

import pytest

from zhengwu.api.tests.conftest import assert_error, token_client
from zhengwu.cases.models import Case
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.factories import accepted_case, submit_online
from zhengwu.catalog.tests.factories import make_item
from zhengwu.cli.common import run
from zhengwu.cli.main import build

pytestmark = pytest.mark.django_db


def test_api_lists_and_accepts_and_a_stale_actor_gets_409(hall):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    client = token_client(hall.approver)
    listed = client.get("/api/v1/cases/").json()
    assert [r["ref"] for r in listed["results"]] == [case.ref] and listed["results"][0]["clock_state"] == "pending"
    accepted = client.post(f"/api/v1/cases/{case.pk}/accept/", {"expected": "submitted"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["due"]["explanation"]
    stale = token_client(hall.window_staff).post(
        f"/api/v1/cases/{case.pk}/reject/", {"expected": "submitted", "reason": "x"}, format="json"
    )
    assert_error(stale, 409, "conflict")


def test_api_refuses_a_denial_without_reasons(hall):
    case = accepted_case(hall)
    response = token_client(hall.approver).post(
        f"/api/v1/cases/{case.pk}/conclude/", {"decision": "denied"}, format="json"
    )
    assert_error(response, 400, "invalid")


def test_the_public_progress_endpoint_masks_the_applicant(hall):
    case = submit_online(make_item(org=hall.dept))
    body = token_client(hall.approver).get(f"/api/v1/cases/by-code/{case.query_code}/").json()
    assert body["applicant_name"] == "张*" and body["status"] == "submitted"


def test_cli_accepts_by_ref_and_refuses_a_second_acceptance(hall, capsys):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    status = run(build(), ["--as", hall.approver.username, "case", "accept", case.ref, "--expected", "submitted"])
    assert status == 0
    assert Case.objects.get().status == CaseStatus.ACCEPTED
    capsys.readouterr()
    again = run(build(), ["--as", hall.window_staff.username, "case", "accept", case.ref, "--expected", "submitted"])
    assert again == 2 and "已被他人处理" in capsys.readouterr().err
