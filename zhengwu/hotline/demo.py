"""The demo county's hotline: rules, a knowledge base, an Open311 client, and a few hundred tickets of the last
four months replayed through the services at their own instants, so states, due dates and the audit trail are real."""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from zhengwu.core import clock
from zhengwu.core.errors import ApplicationError
from zhengwu.hotline import services
from zhengwu.hotline.models import (
    CardRule,
    Channel,
    HandlingRule,
    KnowledgeArticle,
    LimitUnit,
    Ticket,
    TicketKind,
    Urgency,
)
from zhengwu.orgs.models import Org, Role, Scope, Staff

# subtype → the department (code suffix) that handles it; None: the township government of the place.
UNIT_OF = {
    "consumer": "scjgj",
    "administrative": "xzspj",
    "labour": "rsj",
    "property": "zjj",
    "utilities": "zjj",
    "road": "jtj",
    "environment": "sthjj",
    "livelihood": "mzj",
    "economic": "scjgj",
    "safety": "yjj",
    "urban": "zjj",
    "service": "xzspj",
    "other": None,
    "policy": "bgs",
    "procedure": "xzspj",
}
MATTERS = {
    "consumer": [
        "{p}一家超市出售过期酸奶，要求退款并查处",
        "{p}健身房突然关门，预付卡余额无法退还",
        "在{p}的餐馆吃饭后腹泻，怀疑食材变质",
    ],
    "administrative": ["到县政务服务大厅办营业执照被要求重复提交材料", "窗口工作人员态度生硬，办事跑了三趟未办成"],
    "labour": ["{p}工地拖欠农民工工资三个月", "公司不签劳动合同也不缴社保"],
    "property": ["{p}小区物业不清运垃圾，楼道堆满杂物", "{p}小区电梯停运一周无人维修"],
    "utilities": ["{p}停水两天没有通知", "{p}一段路灯不亮，夜间出行不安全"],
    "road": ["{p}路面塌陷形成深坑，已有电动车摔倒", "{p}公交站牌被撞倒无人处理"],
    "environment": ["{p}夜间施工噪音扰民到凌晨", "{p}有工厂偷排污水，河水发黑发臭"],
    "livelihood": ["家中老人行动不便，想申请居家养老服务", "低保申请提交一个月没有消息"],
    "economic": ["{p}有商户无照经营并销售假冒烟酒", "有公司以高息为诱饵非法集资"],
    "safety": ["{p}商铺在楼道里给电动车充电，存在火灾隐患", "{p}一处老房外墙开裂，随时可能掉落"],
    "urban": ["建议在{p}增设非机动车停车位", "建议{p}菜市场周边规范占道经营"],
    "service": ["建议政务服务大厅延长周六办理时间", "建议公积金提取全部改为网上办理"],
    "policy": ["咨询今年城乡居民医保的缴费标准", "咨询新生儿落户需要哪些材料"],
    "procedure": ["社保卡丢了怎么补办", "个体户营业执照在哪里办理"],
    "other": ["{p}一带流浪犬较多，担心伤人", "对{p}的规划调整有意见"],
}
PLACES = [
    "城关镇岚山大道",
    "青溪镇老街",
    "岚桥镇中心小学附近",
    "石门乡集市",
    "白沙镇滨河路",
    "城关镇东门社区",
    "双河镇车站",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
KNOWLEDGE = [
    (
        "社保卡补办",
        "社保卡 补办 挂失",
        "携带本人身份证到县人社局社保卡服务窗口或任一合作银行网点办理挂失补办，工本费按规定收取。",
    ),
    (
        "城乡居民医保缴费",
        "医保 缴费 标准",
        "城乡居民医保按年度缴费，可通过税务 APP、微信或村（社区）代收点缴纳，具体标准以当年县医保局公告为准。",
    ),
    ("新生儿落户", "新生儿 落户 户口", "持出生医学证明、父母户口簿和身份证、结婚证到父亲或母亲户籍所在地派出所办理。"),
    (
        "营业执照办理",
        "营业执照 个体户 登记",
        "可在政务服务网全程网办，或到县政务服务大厅 A03 市场主体登记窗口办理，材料齐全即办。",
    ),
    ("公积金提取", "公积金 提取", "购房、租房、退休等情形可提取，登录公积金网上服务大厅或到大厅 C04 窗口办理。"),
    (
        "不动产登记查询",
        "不动产 房产证 查询",
        "持身份证到大厅 B01 窗口查询本人名下不动产登记信息，也可在政务服务网自助查询。",
    ),
    ("结婚登记", "结婚 登记 婚姻", "双方持身份证、户口簿到大厅 C05 民政婚姻窗口办理，可在网上预约。"),
    ("居住证办理", "居住证", "在本县居住半年以上的非户籍人员，持身份证和居住证明到居住地派出所申领。"),
    ("出入境证件", "护照 港澳通行证", "持身份证到大厅 C02 出入境窗口办理，可网上预约，证件可邮寄到家。"),
    (
        "灵活就业参保",
        "灵活就业 养老保险 参保",
        "灵活就业人员可到县人社局或通过线上渠道办理企业职工基本养老保险参保登记。",
    ),
    ("失业保险金申领", "失业 保险金", "非本人意愿中断就业且缴费满一年，可在线或到县人社局窗口申领失业保险金。"),
    ("残疾人证办理", "残疾人证", "向户籍所在地乡镇（街道）或县残联提出申请，经评定后核发。"),
    ("高龄津贴", "高龄 津贴 老人", "年满 80 周岁的本县户籍老人可向村（社区）申请高龄津贴，按月发放。"),
    (
        "低保申请",
        "低保 最低生活保障",
        "向户籍所在地乡镇人民政府（便民服务中心）提出申请，审核审批时限一般为 30 个工作日。",
    ),
    ("临时救助", "临时救助 困难", "因急难情况导致基本生活困难的，可向乡镇或县民政局申请临时救助。"),
    ("驾驶证换证", "驾驶证 换证", "驾驶证有效期满前 90 日内可在交管 12123 APP 或车管所申请换证。"),
    ("新能源车牌照", "新能源 车牌", "在车管所或具备资质的 4S 店办理注册登记，选取绿色号牌。"),
    ("燃气开户", "燃气 开户", "持房产证明和身份证到燃气公司营业厅办理开户，安装前需安全检查。"),
    ("停水停电查询", "停水 停电", "计划停水停电信息在供水、供电公司公众号发布；突发停水可拨打供水公司 24 小时电话。"),
    ("噪音投诉渠道", "噪音 扰民", "夜间施工噪音可拨打 12345 反映，由生态环境和住建部门依法处理；社会生活噪音可报警。"),
    (
        "食品安全投诉",
        "食品 过期 投诉",
        "保留购物凭证和商品，拨打 12345 或 12315 投诉，市场监管部门 7 个工作日内决定是否受理。",
    ),
    ("预付卡退费", "预付卡 退费", "经营者停业未退预付款的，可向市场监管部门投诉；涉嫌诈骗的可向公安机关报案。"),
    ("农民工欠薪", "欠薪 工资 农民工", "可向县人社局劳动保障监察投诉，或拨打 12345 反映，欠薪线索将转劳动监察处理。"),
    ("劳动合同", "劳动合同 社保", "用人单位自用工之日起一个月内应订立书面劳动合同；未依法缴纳社保的可向人社局投诉。"),
    ("学校招生", "入学 招生 学区", "义务教育招生以县教育局每年发布的招生方案为准，一般 6 月公布。"),
    ("医疗费用报销", "报销 医疗 异地", "异地就医需先备案，可通过国家医保服务平台 APP 办理，出院时直接结算。"),
    ("税务发票", "发票 税务", "个人代开发票可通过电子税务局或到大厅 B03 税务综合窗口办理。"),
    ("退役军人优待证", "退役 优待证", "向户籍地退役军人服务站申请，县退役军人事务局审核后制发。"),
    ("宅基地审批", "宅基地 建房", "农村村民建房向村集体提出申请，经乡镇审核批准，办理乡村建设规划许可。"),
    (
        "政府信息公开申请",
        "信息公开 申请",
        "可通过政府网站依申请公开栏目、信函或当面提交申请，机关一般在 20 个工作日内答复。",
    ),
]


@contextmanager
def _at(instant: dt.datetime) -> Iterator[None]:
    """Run services as if at `instant`: the demo replays past months through the same code the UI uses."""
    original = clock.now
    clock.now = lambda: instant
    try:
        yield
    finally:
        clock.now = original


def build_hotline_demo(*, gov: Org, rng: random.Random, tickets: int = 260) -> dict[str, Any]:
    """Create the county hotline's configuration and history; returns a summary for `zhengwu demo`."""
    from zhengwu.orgs import services as org_services

    operator = Staff.objects.filter(username="hotline").first()
    if operator is not None:  # the 12345 operator takes the county government's calls
        org_services.membership_grant(actor=None, staff=operator, org=gov, role=Role.HOTLINE_OPERATOR, scope=Scope.SELF)
    for kind in TicketKind:
        HandlingRule.objects.create(
            org=gov, kind=kind, urgency=Urgency.NORMAL, limit=2 if kind == TicketKind.CONSULTATION else 5
        )
        HandlingRule.objects.create(org=gov, kind=kind, urgency=Urgency.URGENT, limit=1)
        HandlingRule.objects.create(org=gov, kind=kind, urgency=Urgency.EMERGENCY, limit=2, unit=LimitUnit.HOURS)
    CardRule.objects.create(org=gov, overdue_per_month=3, yellows_per_quarter=2)
    articles = KnowledgeArticle.objects.bulk_create(
        [KnowledgeArticle(org=gov, title=t, keywords=k, answer=a) for t, k, a in KNOWLEDGE]
    )
    services.api_client_create(actor=None, org=gov, name="青岚县政务服务微信小程序", channel=Channel.WECHAT)
    units = {o.code.rpartition("-")[2]: o for o in Org.objects.filter(parent=gov, is_active=True)}
    towns = list(Org.objects.filter(parent=gov, kind="government"))
    now = clock.now()
    plans: list[tuple[dt.datetime, int, Callable[[], None]]] = []
    seq = 0

    def plan(at: dt.datetime, step: Callable[[], None]) -> None:
        nonlocal seq
        if at <= now:
            seq += 1
            heapq.heappush(plans, (at, seq, step))

    for i in range(tickets):
        # One in eight within the last four days, so the queues and inboxes have open work in them.
        days = 4 if rng.random() < 0.125 else 120
        created = now - dt.timedelta(minutes=rng.randrange(60, days * 24 * 60))
        created = min(created.replace(hour=rng.choice([8, 9, 10, 11, 14, 15, 16, 17, 19])), now)
        _plan_ticket(i, created, plan, rng, gov, units, towns, articles)
    while plans:
        at, _n, step = heapq.heappop(plans)
        # A step the state no longer allows (a ticket already concluded, say) is skipped.
        with _at(at), contextlib.suppress(ApplicationError):
            step()
    cards = 0
    for back in (3, 2, 1):
        month = (now.date().replace(day=1) - dt.timedelta(days=28 * back - 27)).replace(day=1)
        cards += len(services.cards_evaluate(actor=None, org=gov, month=month))
    return {"tickets": Ticket.objects.filter(org=gov).count(), "knowledge_articles": len(articles), "cards": cards}


def _plan_ticket(
    i: int,
    created: dt.datetime,
    plan: Callable[[dt.datetime, Callable[[], None]], None],
    rng: random.Random,
    gov: Org,
    units: dict[str, Org],
    towns: list[Org],
    articles: list[KnowledgeArticle],
) -> None:
    kind = rng.choices(list(TicketKind), weights=[10, 45, 30, 5, 10])[0]
    from zhengwu.hotline.models import SUBTYPES

    subtype = rng.choice(list(SUBTYPES[kind]))
    place = rng.choice(PLACES)
    content = rng.choice(MATTERS[subtype]).format(p=place)
    channel = rng.choices(list(Channel), weights=[70, 10, 6, 10, 3, 1])[0]
    phone = f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}"
    urgency = Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL
    box: dict[str, Ticket] = {}
    minute = dt.timedelta(minutes=1)

    def create() -> None:
        box["t"] = services.ticket_create(
            actor=None,
            org=gov,
            channel=channel,
            kind=kind,
            subtype=subtype,
            content=content,
            caller_name=rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
            caller_phone=phone,
            location=place,
            urgency=urgency,
        ).ticket

    def step(fn: Callable[[Ticket], Any]) -> Callable[[], None]:
        def run() -> None:
            if "t" in box:
                box["t"].refresh_from_db()
                fn(box["t"])

        return run

    plan(created, create)
    if kind == TicketKind.CONSULTATION and rng.random() < 0.7:
        article = rng.choice(articles)
        plan(
            created + 4 * minute, step(lambda t: services.ticket_answer_directly(actor=None, ticket=t, article=article))
        )
        return
    if rng.random() < 0.02:
        plan(
            created + 30 * minute,
            step(
                lambda t: services.ticket_convert(
                    actor=None,
                    ticket=t,
                    target="disclosure_request",
                    target_ref=f"YSQ-DEMO-{i:04d}",
                    reason="属依申请公开",
                )
            ),
        )
        return
    suffix = UNIT_OF.get(subtype)
    lead = units.get(suffix) if suffix else None
    lead = lead or rng.choice(towns)
    at = created + dt.timedelta(minutes=rng.randrange(10, 90))
    if rng.random() < 0.1:  # misrouted first, returned, redispatched
        wrong = rng.choice([u for u in units.values() if u != lead])
        plan(at, step(lambda t: services.ticket_dispatch(actor=None, ticket=t, lead=wrong)))
        at += dt.timedelta(hours=rng.randrange(2, 20))
        plan(at, step(lambda t: services.ticket_return(actor=None, ticket=t, reason="不属于本单位职责，请改派")))
        at += dt.timedelta(hours=1)
    assisting = [rng.choice(towns)] if rng.random() < 0.15 else []
    plan(at, step(lambda t: services.ticket_dispatch(actor=None, ticket=t, lead=lead, assisting=assisting)))
    at += dt.timedelta(hours=rng.randrange(1, 20))
    plan(at, step(lambda t: services.ticket_accept(actor=None, ticket=t)))
    late = rng.random() < 0.15
    at += dt.timedelta(days=rng.randrange(6, 12) if late else rng.randrange(0, 5), hours=rng.randrange(1, 6))
    plan(at, step(lambda t: services.ticket_reply(actor=None, ticket=t, content="经核查，已按规定处理并告知来电人。")))
    at += dt.timedelta(days=1)
    verdict = rng.choices(["satisfied", "basically_satisfied", "dissatisfied", "unreachable"], weights=[70, 15, 10, 5])[
        0
    ]
    plan(at, step(lambda t: services.ticket_callback(actor=None, ticket=t, result=verdict)))
    at += dt.timedelta(hours=2)
    if verdict == "dissatisfied" and rng.random() < 0.7:
        plan(at, step(lambda t: services.ticket_reopen(actor=None, ticket=t, reason="来电人对处理结果不满意")))
        at += dt.timedelta(days=rng.randrange(1, 4))
        plan(at, step(lambda t: services.ticket_reply(actor=None, ticket=t, content="重新核查后已彻底解决。")))
        at += dt.timedelta(days=1)
        plan(at, step(lambda t: services.ticket_callback(actor=None, ticket=t, result="basically_satisfied")))
        at += dt.timedelta(hours=2)
    plan(at, step(lambda t: services.ticket_conclude(actor=None, ticket=t)))
