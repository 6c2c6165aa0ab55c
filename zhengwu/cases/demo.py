"""The demo county's service hall: a catalog of ~40 items across the departments, and a few hundred cases of the
last four months replayed through the services at their own instants (in time order, so the audit trail reads
forward): window and online intake, corrections, special procedures, instant items, conclusions, ratings, bad
ratings followed to their rectification, and supervision's correction orders."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock

from zhengwu.cases import services as svc
from zhengwu.cases.models import Case
from zhengwu.cases.states import CaseStatus
from zhengwu.catalog.models import Category, Mode, ServiceItem
from zhengwu.catalog.services import ItemContent, MaterialSpec, item_create
from zhengwu.core import clock
from zhengwu.core.errors import ApplicationError
from zhengwu.orgs.models import Org, Staff, Window
from zhengwu.workdays import add_workdays, is_workday

L, C, P, PS, RU, OP = (
    Category.LICENSING,
    Category.CONFIRMATION,
    Category.PAYMENT,
    Category.PUBLIC_SERVICE,
    Category.RULING,
    Category.OTHER_POWER,
)
ID_CARD = MaterialSpec("居民身份证", originals=1, copies=1)
LICENCE = MaterialSpec("营业执照", originals=1, copies=1)
FORM = MaterialSpec("申请表", originals=1, blank_form="申请表.docx")
# (dept, code, name, category, statutory, promised, instant, online, fully_online, fee, extra materials, keywords)
ITEMS: list[tuple[str, str, str, str, int, int, bool, bool, bool, str, tuple[str, ...], str]] = [
    (
        "scjgj",
        "SC-001",
        "食品经营许可（新办）",
        L,
        20,
        10,
        False,
        True,
        False,
        "0",
        ("经营场所平面图", "食品安全管理制度"),
        "餐馆 小吃 食品店",
    ),
    ("scjgj", "SC-002", "食品经营许可（变更）", L, 20, 5, False, True, True, "0", ("原许可证",), "餐馆 变更"),
    (
        "scjgj",
        "SC-003",
        "个体工商户设立登记",
        C,
        15,
        1,
        False,
        True,
        True,
        "0",
        ("经营场所使用证明",),
        "个体户 营业执照",
    ),
    ("scjgj", "SC-004", "个体工商户注销登记", C, 15, 0, True, True, True, "0", (), "个体户 注销"),
    (
        "scjgj",
        "SC-005",
        "有限责任公司设立登记",
        C,
        15,
        2,
        False,
        True,
        True,
        "0",
        ("公司章程", "股东身份证明"),
        "公司 营业执照 开办企业",
    ),
    (
        "scjgj",
        "SC-006",
        "药品零售企业经营许可",
        L,
        30,
        15,
        False,
        True,
        False,
        "0",
        ("执业药师资格证", "经营场所证明"),
        "药店",
    ),
    ("scjgj", "SC-007", "特种设备使用登记", OP, 15, 5, False, False, False, "0", ("设备产品合格证",), "电梯 锅炉"),
    ("zrzyj", "ZR-001", "不动产首次登记", C, 30, 5, False, True, False, "80", ("土地权属来源证明",), "房产证 不动产"),
    ("zrzyj", "ZR-002", "不动产转移登记", C, 30, 3, False, True, False, "80", ("买卖合同", "完税证明"), "二手房 过户"),
    ("zrzyj", "ZR-003", "不动产抵押登记", C, 30, 1, False, True, True, "80", ("抵押合同",), "贷款 抵押"),
    ("zrzyj", "ZR-004", "建设用地规划许可证核发", L, 20, 10, False, True, False, "0", ("建设项目批准文件",), "规划"),
    ("zrzyj", "ZR-006", "土地权属争议行政裁决", RU, 60, 30, False, False, False, "0", ("权属证明材料",), "土地 争议"),
    ("zrzyj", "ZR-005", "乡村建设规划许可证核发", L, 20, 10, False, False, False, "0", ("宅基地批准文件",), "农村建房"),
    (
        "zjj",
        "ZJ-001",
        "建筑工程施工许可证核发",
        L,
        15,
        3,
        False,
        True,
        False,
        "0",
        ("施工合同", "质量安全监督手续"),
        "施工许可 工程",
    ),
    ("zjj", "ZJ-002", "商品房预售许可", L, 20, 10, False, True, False, "0", ("预售方案",), "楼盘 预售"),
    (
        "zjj",
        "ZJ-003",
        "公共租赁住房资格确认",
        C,
        20,
        15,
        False,
        True,
        False,
        "0",
        ("收入证明", "住房情况证明"),
        "公租房 保障房",
    ),
    ("rsj", "RS-001", "失业保险金申领", P, 20, 5, False, True, True, "0", ("解除劳动合同证明",), "失业金"),
    ("rsj", "RS-002", "职工参保登记", PS, 5, 0, True, True, True, "0", (), "社保 参保"),
    ("rsj", "RS-003", "养老保险待遇申领", P, 20, 10, False, True, False, "0", ("户口簿",), "退休 养老金"),
    ("rsj", "RS-004", "就业创业证申领", PS, 10, 0, True, True, True, "0", (), "就业 失业登记"),
    ("ybj", "YB-001", "异地就医备案", PS, 5, 0, True, True, True, "0", (), "医保 异地"),
    ("ybj", "YB-002", "门诊慢特病待遇认定", C, 20, 10, False, True, False, "0", ("病历资料", "诊断证明"), "慢病 医保"),
    ("gaj", "GA-001", "居民身份证换领", PS, 60, 20, False, False, False, "20", ("户口簿",), "身份证"),
    ("gaj", "GA-002", "户口迁移（准予迁入）", L, 20, 5, False, True, False, "0", ("迁入地住房证明",), "落户 迁户口"),
    ("gaj", "GA-003", "无犯罪记录证明开具", PS, 5, 0, True, True, True, "0", (), "证明"),
    ("mzj", "MZ-001", "结婚登记", C, 1, 0, True, False, False, "0", ("户口簿", "近期合影照片"), "结婚 领证"),
    ("mzj", "MZ-002", "最低生活保障审核确认", P, 30, 20, False, True, False, "0", ("家庭收入证明",), "低保"),
    ("mzj", "MZ-003", "社会团体成立登记", L, 60, 20, False, True, False, "0", ("章程草案",), "社团 协会"),
    ("jtj", "JT-001", "道路货物运输经营许可", L, 20, 5, False, True, False, "0", ("车辆行驶证",), "货运 运输"),
    ("jtj", "JT-002", "道路运输从业人员资格证核发", L, 10, 5, False, True, True, "0", ("驾驶证",), "从业资格"),
    ("wjj", "WJ-001", "医疗机构执业登记", L, 45, 20, False, True, False, "0", ("医疗机构设置批准书",), "诊所 医院"),
    (
        "wjj",
        "WJ-002",
        "公共场所卫生许可",
        L,
        20,
        5,
        False,
        True,
        False,
        "0",
        ("卫生检测报告",),
        "宾馆 理发店 卫生许可证",
    ),
    ("wjj", "WJ-003", "出生医学证明补发", PS, 20, 10, False, False, False, "0", ("出生证明材料",), "出生证"),
    ("jyj", "JY-001", "民办学校办学许可", L, 90, 30, False, True, False, "0", ("办学章程", "校舍证明"), "培训学校"),
    ("jyj", "JY-002", "教师资格认定", C, 60, 20, False, True, False, "0", ("普通话证书", "体检表"), "教师资格证"),
    ("nyj", "NY-001", "农药经营许可", L, 20, 10, False, True, False, "0", ("经营场所证明",), "农药"),
    ("nyj", "NY-002", "农村宅基地批准", L, 30, 15, False, False, False, "0", ("宅基地申请书",), "宅基地 建房"),
    ("swju", "SW-001", "增值税发票领用", PS, 5, 0, True, True, True, "0", (), "发票"),
    ("gjjzx", "GJ-001", "住房公积金提取", PS, 5, 0, True, True, True, "0", ("购房合同",), "公积金 提取"),
    ("gjjzx", "GJ-002", "住房公积金贷款", PS, 15, 10, False, True, False, "0", ("购房合同", "收入证明"), "公积金 贷款"),
    ("xzspj", "XZ-001", "企业投资项目备案", OP, 5, 1, False, True, True, "0", ("项目基本情况",), "项目 备案"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
]
SHOPS = [
    "青岚县{n}小吃店",
    "青岚县{n}便利店",
    "青岚{n}餐饮有限公司",
    "青岚县{n}商贸有限公司",
    "青岚{n}建筑工程有限公司",
]
LEVELS = [
    ("very_satisfied", 70),
    ("satisfied", 22),
    ("basically_satisfied", 5),
    ("dissatisfied", 2),
    ("very_dissatisfied", 1),
]
COMPLAINTS = ["窗口让我跑了两趟才办成", "排队时间太长", "工作人员态度不好", "材料要求没有一次说清楚"]


@contextmanager
def _at(instant: dt.datetime) -> Iterator[None]:
    with mock.patch("zhengwu.core.clock.now", return_value=instant):
        yield


class _Env:
    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now

    def at_office(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.choice([self.rng.randint(0, 179), self.rng.randint(270, 509)])  # 9:00–12:00, 13:30–17:30
        return dt.datetime.combine(day, dt.time(9), tzinfo=clock.SHANGHAI) + dt.timedelta(minutes=minutes)

    def later(self, instant: dt.datetime, workdays: int, *, minutes: int | None = None) -> dt.datetime | None:
        """`workdays` after `instant` (0: later the same day), at office time; None when that is still to come."""
        day = clock.local(instant).date()
        if workdays == 0:
            out = instant + dt.timedelta(minutes=minutes if minutes is not None else self.rng.randint(5, 90))
        else:
            out = self.at_office(add_workdays(day, workdays))
        return out if out < self.now else None

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)


Plan = Generator[dt.datetime | None, None, None]


def _rate(env: _Env, case: Case, t: dt.datetime, supervisor: Staff | None, approver: Staff | None) -> Plan:
    """After conclusion: a rating (about 60% rate), and a bad one followed to its rectification."""
    if env.rng.random() > 0.6:
        return
    t2 = env.later(t, 0, minutes=env.rng.randint(1, 30))
    if t2 is None:
        return
    yield t2
    level = env.rng.choices([lv for lv, _ in LEVELS], weights=[w for _, w in LEVELS])[0]
    bad = level in ("dissatisfied", "very_dissatisfied")
    channel = "window_device" if case.window_id and env.rng.random() < 0.7 else "portal"
    evaluation = svc.evaluation_submit(
        case=case, level=level, channel=channel, comment=env.rng.choice(COMPLAINTS) if bad else ""
    )
    if not bad:
        return
    t3 = env.later(t2, env.rng.randint(3, 8))
    if t3 is None:
        return
    yield t3
    rect = svc.rectification_record_callback(
        actor=approver,
        rectification=evaluation.rectification,
        note="已电话回访，说明整改措施，申请人表示理解",
        satisfied=True,
    )
    t4 = env.later(t3, env.rng.randint(1, 4))
    if t4 is None:
        return
    yield t4
    svc.rectification_close(
        actor=supervisor, rectification=rect, summary="已对窗口工作人员开展服务规范培训，优化叫号流程"
    )


def _case_plan(env: _Env, item: ServiceItem, window: Window | None, t0: dt.datetime, staff: dict[str, Any]) -> Plan:
    version = item.current
    assert version is not None
    rng = env.rng
    intake: Staff | None = staff["window"]
    approver: Staff | None = staff["approvers"].get(item.org_id)
    applicant = svc.Applicant(
        name=rng.choice(SHOPS).format(n=rng.choice(["顺发", "兴旺", "和美", "福满", "鑫源", "康乐"]))
        if version.category == L and rng.random() < 0.6
        else env.name(),
        kind="person",
        phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
    )
    yield t0
    online = version.online and (window is None or rng.random() < 0.35)
    if version.mode == Mode.INSTANT and window is not None and not online:
        case = svc.case_register(actor=intake, window=window, item=item, applicant=applicant, then="instant")
        yield from _rate(env, case, t0, staff["supervisor"], approver)
        return
    if online:
        case = svc.case_submit(item=item, applicant=applicant, summary="网上申请")
        t = env.later(t0, rng.choice([0, 1, 1, 2]))
        if t is None:
            return
        yield t
        case.refresh_from_db()
        roll = rng.random()
        if roll < 0.05:
            svc.case_reject(actor=approver, case=case, reason="申请事项不属于本机关职权范围，请向户籍所在地申请")
            return
        if roll < 0.2:
            missing = [m.name for m in version.materials.all()][-1:] or ["申请表"]
            case = svc.case_request_correction(actor=approver, case=case, missing=missing, note="复印件需本人签字")
            t = env.later(t, rng.randint(1, 4))
            if t is None:
                return
            yield t
            case = svc.case_receive_correction(
                actor=None, case=case, uploads=[svc.Upload("补正材料.pdf", b"%PDF-1.4\n% demo\n")]
            )
            t = env.later(t, rng.choice([0, 1]))
            if t is None:
                return
            yield t
        case = svc.case_accept(actor=approver, case=case, opinion="材料齐全，予以受理")
        t0 = t  # the clock runs from acceptance
    else:
        assert window is not None
        case = svc.case_register(actor=intake, window=window, item=item, applicant=applicant, then="accept")
    promised = version.promised_limit_days
    if rng.random() < 0.06 and promised >= 5:
        t1 = env.later(t0, rng.randint(1, 3))
        if t1 is None:
            return
        yield t1
        kind = rng.choice(["expert_review", "testing", "inspection", "hearing"])
        case = svc.case_pause(actor=approver, case=case, kind=kind, reason="依法组织特别程序")
        t0 = env.later(t1, rng.randint(2, 8)) or t1
        if t0 == t1:
            return
        yield t0
        case = svc.case_resume(actor=approver, case=case)
    # Most finish early; a few run past the promise (those still open show as warnings and overdue).
    spread = max(promised, 1)
    days = rng.choice([0, 1, 1, 2]) if promised <= 2 else rng.randint(1, spread + (5 if rng.random() < 0.15 else 0))
    t = env.later(t0, min(days, 60))
    if t is None:
        return
    yield t
    case.refresh_from_db()
    if case.status != CaseStatus.ACCEPTED:
        return
    denied = rng.random() < 0.04
    case = svc.case_conclude(
        actor=approver,
        case=case,
        decision="denied" if denied else "approved",
        opinion="不符合法定条件：经营场所与登记用途不符" if denied else "经审查，符合法定条件，准予办理",
        result_document=f"{version.name}决定书",
    )
    if case.window_id and rng.random() < 0.3:
        pickup = env.later(t, rng.choice([0, 1]))
        if pickup is not None:
            yield pickup
            case = svc.case_record_visit(actor=intake, case=case, reason="领取办理结果")
            t = pickup
    yield from _rate(env, case, t, staff["supervisor"], approver)


def build_catalog(*, depts: dict[str, Org]) -> list[tuple[ServiceItem, Window | None]]:
    items: list[tuple[ServiceItem, Window | None]] = []
    for dept, code, name, cat, statutory, promised, instant, online, fully, fee, extra, keywords in ITEMS:
        org = depts[dept]
        window = Window.objects.filter(departments=org).select_related("hall").order_by("number").first()
        base = (
            [ID_CARD, FORM]
            if cat != L
            else [FORM, ID_CARD, LICENCE]
            if "企业" in name or "经营" in name
            else [FORM, ID_CARD]
        )
        item = item_create(
            actor=None,
            org=org,
            code=f"990122-{code}",
            content=ItemContent(
                name=name,
                category=cat,
                statutory_limit_days=statutory,
                promised_limit_days=0 if instant else promised,
                mode=Mode.INSTANT if instant else Mode.PROMISED,
                online=online,
                fully_online=fully,
                online_depth=4 if fully else 2 if online else 1,
                max_visits=0 if fully else 1,
                fee_yuan=Decimal(fee),
                fee_basis="《不动产登记收费标准》" if fee != "0" else "",
                keywords=keywords,
                legal_basis=f"《中华人民共和国行政许可法》；{org.name}权责清单" if cat == L else f"{org.name}权责清单",
                conditions="申请人应具备相应的法定条件，材料真实、完整、有效。",
                steps="申请\n受理\n审查\n决定\n送达",
                place=f"青岚县政务服务中心 {window.number}窗口" if window else org.name,
                window=window,
                phone="0999-12345",
                materials=(*base, *(MaterialSpec(m, originals=1) for m in extra)),
            ),
        )
        items.append((item, window))
    return items


def build_service_hall(*, gov: Org, depts: dict[str, Org], rng: random.Random, cases: int = 320) -> dict[str, int]:
    """The catalog, then `cases` applications over the last ~120 days, replayed in time order."""
    items = build_catalog(depts=depts)
    now = clock.now()
    env = _Env(rng, now)
    staff = {
        "window": Staff.objects.filter(username="window_a03").first(),
        "supervisor": Staff.objects.filter(username="supervisor").first(),
        "approvers": {
            depts[suffix].pk: Staff.objects.filter(username=f"approver_{suffix}").first()
            for suffix in ("scjgj", "zrzyj")
        },
    }
    busy = {depts[s].pk for s in ("scjgj", "zrzyj", "rsj", "gjjzx", "ybj")}
    # An item with neither a window nor online application cannot be applied for in the hall's demo.
    usable = [(i, w) for i, w in items if w is not None or (i.current is not None and i.current.online)]
    weights = [6 if i.org_id in busy else 2 for i, _ in usable]
    today = clock.today()
    days = [d for d in (today - dt.timedelta(days=n) for n in range(120, -1, -1)) if is_workday(d)]
    heap: list[tuple[dt.datetime, int, Plan]] = []
    seq = itertools.count()
    for _ in range(cases):
        item, window = rng.choices(usable, weights=weights)[0]
        # More recent days are busier, so the open cases spread across on time, warning and overdue.
        day = days[min(len(days) - 1, int(len(days) * (rng.random() ** 0.6)))]
        t0 = env.at_office(day)
        if t0 >= now:
            continue
        plan = _case_plan(env, item, window, t0, staff)
        next(plan)  # primed: it now waits at t0 for its first step
        heapq.heappush(heap, (t0, next(seq), plan))
    while heap:
        instant, _, plan = heapq.heappop(heap)
        with _at(instant):
            try:
                following = next(plan)
            except StopIteration:
                continue
            except ApplicationError:  # a step that no longer fits the case's state: that case stops there
                continue
        if following is not None and following > instant:
            heapq.heappush(heap, (following, next(seq), plan))
    _supervise(env, staff)
    return {"items": len(items), "cases": Case.objects.filter(org__path__startswith=gov.path).count()}


def _supervise(env: _Env, staff: dict[str, Any]) -> None:
    """Correction orders on two overdue cases; one answered."""
    today = clock.today()
    overdue = list(Case.objects.filter(status=CaseStatus.ACCEPTED, due_on__lt=today).order_by("due_on")[:2])
    for i, case in enumerate(overdue):
        order = svc.correction_order_issue(
            actor=staff["supervisor"], case=case, instruction="该件已超过承诺时限，请说明原因并加快办理"
        )
        if i == 0:
            svc.correction_order_respond(
                actor=staff["approvers"].get(case.org_id),
                order=order,
                response="因申请人补充现场核查材料延误，已于今日完成审查",
            )
