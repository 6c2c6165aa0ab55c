"""The service hall in a real browser: an applicant on a phone applies online with a PDF, the department asks for
corrections listing everything at once, the applicant uploads them, the case is accepted and concluded, the
applicant rates it 不满意, and the supervisor follows the rectification through the callback to its closure."""

from __future__ import annotations

import pytest

from zhengwu.cases.models import Case, Rectification
from zhengwu.cases.states import CaseStatus, RectificationStatus
from zhengwu.catalog.tests.factories import make_item
from zhengwu.orgs import services as org_services
from zhengwu.orgs.models import Role, Scope
from zhengwu.orgs.tests.factories import make_county, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(transactional_db):  # type: ignore[no-untyped-def]
    county = make_county("青岚县")
    hall = org_services.hall_create(actor=None, org=county["center"], name="县政务服务大厅")
    window = org_services.window_create(
        actor=None, hall=hall, number="A03", name="食品经营许可", departments=[county["dept"]]
    )
    item = make_item(org=county["dept"], window=window, name="食品经营许可证核发", promised=10)
    return {
        "item": item,
        "approver": make_staff(org=county["dept"], role=Role.APPROVER, scope=Scope.SELF),
        "supervisor": make_staff(org=county["gov"], role=Role.SUPERVISOR),
    }


def test_apply_correct_conclude_rate_and_rectify(live_server, browser, signed_in, phone, people, shot, tmp_path):
    base = live_server.url
    pdf = tmp_path / "申请书.pdf"
    pdf.write_bytes(PDF)

    # The applicant finds the guide by a Chinese word and applies with the application form as a PDF.
    phone.goto(f"{base}/services/")
    phone.get_by_label("搜索事项").fill("食品")
    phone.get_by_role("button", name="搜索").click()
    phone.get_by_role("link", name="食品经营许可证核发").click()
    phone.get_by_role("link", name="网上申请").click()
    phone.get_by_label("申请人姓名或单位名称").fill("青岚县顺发小吃店")
    phone.get_by_label("手机号码").fill("13800138000")
    phone.get_by_label("申请书").set_input_files(str(pdf))
    phone.get_by_test_id("submit-application").click()
    code = phone.get_by_test_id("query-code").inner_text()
    assert phone.get_by_test_id("progress-status").inner_text() == "待受理"
    case = Case.objects.get()

    # The department asks for everything missing at once.
    approver = signed_in(people["approver"].username)
    approver.goto(f"{base}/staff/cases/")
    approver.get_by_role("link", name=case.ref).click()
    approver.get_by_text("一次性告知补正").click()
    approver.get_by_label("需补正的材料（每行一项）").fill("营业执照\n经营场所证明")
    approver.get_by_test_id("request-correction").click()
    assert approver.get_by_test_id("case-status").inner_text() == "待补正"

    # The applicant sees the list on the progress page and uploads the corrections.
    phone.goto(f"{base}/services/progress/")
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    assert phone.get_by_test_id("missing").inner_text().split() == ["营业执照", "经营场所证明"]
    phone.get_by_label("补正材料").set_input_files(str(pdf))
    phone.get_by_test_id("upload-correction").click()
    assert phone.get_by_test_id("progress-status").inner_text() == "待受理"

    # Accepted (the due date is explained on the page), then concluded.
    approver.reload()
    approver.get_by_test_id("accept").click()
    assert approver.get_by_test_id("case-status").inner_text() == "办理中"
    approver.get_by_text("期限如何计算").click()
    assert "个工作日" in approver.get_by_test_id("due").inner_text()
    approver.get_by_label("办理结果").select_option("approved")
    approver.get_by_test_id("conclude").click()
    assert approver.get_by_test_id("case-status").inner_text() == "已办结"
    shot(approver, "cases-concluded")

    # The applicant rates it 不满意, with a reason.
    phone.reload()
    phone.get_by_test_id("rate-link").click()
    phone.get_by_label("不满意", exact=True).check()
    phone.get_by_label("意见和建议（不满意时必填）").fill("补正来回跑了两趟")
    phone.get_by_test_id("submit-rating").click()
    assert "感谢您的评价" in phone.content()

    # The supervisor follows the rectification: callback recorded, then closed.
    supervisor = signed_in(people["supervisor"].username)
    supervisor.goto(f"{base}/staff/cases/supervision/")
    supervisor.get_by_test_id("rectifications").get_by_role("link", name=case.ref).click()
    supervisor.get_by_label("回访记录").fill("已电话回访，申请人认可整改措施")
    supervisor.get_by_label("申请人是否满意").select_option("1")
    supervisor.get_by_test_id("record-callback").click()
    assert "已电话回访" in supervisor.get_by_test_id("callback").inner_text()
    supervisor.get_by_label("整改情况").fill("补正告知改为窗口当场核对清单")
    supervisor.get_by_test_id("close-rectification").click()
    assert supervisor.get_by_test_id("rect-status").inner_text() == "已办结"
    shot(supervisor, "cases-rectification-closed")

    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.visits == 0
    assert Rectification.objects.get().status == RectificationStatus.CLOSED
