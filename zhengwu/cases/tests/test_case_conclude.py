"""Conclusion: approved or denied with reasons; the applicant is told after commit; the steps are closed."""

import pytest

from zhengwu.cases.models import Case, CaseStep, OutboxMessage
from zhengwu.cases.services import case_conclude, case_forward, case_register
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.factories import accepted_case, applicant
from zhengwu.catalog.models import Mode
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_approval_concludes_the_case_and_invites_a_rating(hall, freeze, django_capture_on_commit_callbacks):
    freeze("2025-09-15 09:00")
    case = accepted_case(hall, promised=10)
    freeze("2025-09-19 16:00")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_conclude(
            actor=hall.approver, case=case, decision="approved", opinion="符合条件", result_document="准予许可决定书"
        )
    assert case.status == CaseStatus.CONCLUDED and case.decision == "approved"
    assert case.concluded_at is not None and case.on_site is False
    assert not CaseStep.objects.filter(case=case, finished_at__isnull=True).exists()
    assert "评价" in OutboxMessage.objects.get(kind="case.concluded").body


def test_a_denial_must_state_its_reasons(hall):
    case = accepted_case(hall)
    with pytest.raises(InvalidInput):
        case_conclude(actor=hall.approver, case=case, decision="denied")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_nothing_is_sent_and_nothing_kept_when_a_one_step_conclusion_fails(hall, django_capture_on_commit_callbacks):
    # given an instant item registered at the window, denied without a reason
    item = make_item(org=hall.dept, window=hall.window, mode=Mode.INSTANT, statutory=0)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        case_register(
            actor=hall.window_staff,
            window=hall.window,
            item=item,
            applicant=applicant(),
            then="instant",
            decision="denied",
        )
    # then the acceptance inside the same step was rolled back too, and no "accepted" message went out
    assert not Case.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_case_moves_through_steps_in_other_departments(hall):
    case = accepted_case(hall)
    case = case_forward(
        actor=hall.approver, case=case, to_org=hall.county["dept2"], step="会签", opinion="请自然资源局会签"
    )
    case_conclude(actor=hall.approver, case=case, decision="approved")
    steps = list(CaseStep.objects.filter(case=case).values_list("name", "org", "opinion"))
    assert steps == [
        ("受理", hall.center.pk, ""),
        ("审查办理", hall.dept.pk, "请自然资源局会签"),
        ("会签", hall.county["dept2"].pk, ""),
    ]


def test_a_forwarded_case_is_on_the_other_departments_desk_and_they_conclude_it(hall):
    from zhengwu.cases.selectors import CaseFilter, case_get_for_actor, case_list_for_staff
    from zhengwu.orgs.models import Role, Scope
    from zhengwu.orgs.tests.factories import make_staff

    other = make_staff(org=hall.county["dept2"], role=Role.APPROVER, scope=Scope.SELF)
    case = accepted_case(hall)
    assert case_list_for_staff(other, CaseFilter()).cases == []
    case = case_forward(actor=hall.approver, case=case, to_org=hall.county["dept2"], step="会签", opinion="请会签")
    # then it is on the other department's list, off the first one's, and the first can still open it
    assert [c.pk for c in case_list_for_staff(other, CaseFilter()).cases] == [case.pk]
    assert case_list_for_staff(hall.approver, CaseFilter()).cases == []
    assert case_get_for_actor(hall.approver, case.pk) is not None
    done = case_conclude(actor=other, case=case_get_for_actor(other, case.pk), decision="approved", opinion="同意")
    assert done.status == "concluded"
