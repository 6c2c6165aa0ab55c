"""The demo county: a realistic, fictional 青岚县 with its departments, service hall, townships and villages.

Everything is created through the same services the UI uses, so the demo's audit trail is a real one.
Later domains (catalog, cases, disclosure, hotline) add their demo data from here.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from django.db import transaction

from zhengwu.orgs import services
from zhengwu.orgs.models import Division, DivisionLevel, Org, OrgKind, Role, Scope, Staff

DEMO_PASSWORD = "demo-zhengwu-2026"  # noqa: S105 — documented demo password, printed by `zhengwu demo`
PROVINCE = ("99", "云岭省")
CITY = ("9901", "青州市")
COUNTY = ("990122", "青岚县")
COUNTY_ORG = "990122-gov"

DEPARTMENTS = [
    ("bgs", "县人民政府办公室"),
    ("fgj", "县发展和改革局"),
    ("jyj", "县教育局"),
    ("kgj", "县科技和工业信息化局"),
    ("gaj", "县公安局"),
    ("mzj", "县民政局"),
    ("sfj", "县司法局"),
    ("czj", "县财政局"),
    ("rsj", "县人力资源和社会保障局"),
    ("zrzyj", "县自然资源局"),
    ("sthjj", "县生态环境分局"),
    ("zjj", "县住房和城乡建设局"),
    ("jtj", "县交通运输局"),
    ("slj", "县水利局"),
    ("nyj", "县农业农村局"),
    ("swj", "县商务局"),
    ("wlj", "县文化旅游广电体育局"),
    ("wjj", "县卫生健康局"),
    ("tyjrj", "县退役军人事务局"),
    ("yjj", "县应急管理局"),
    ("sjj", "县审计局"),
    ("scjgj", "县市场监督管理局"),
    ("tjj", "县统计局"),
    ("ybj", "县医疗保障局"),
    ("lyj", "县林业局"),
    ("xzspj", "县行政审批服务局"),
    ("swju", "县税务局"),
    ("gjjzx", "县住房公积金管理部"),
    ("xfj", "县信访局"),
    ("sjzyj", "县数据资源局"),
]
TOWNSHIPS = [
    "城关镇",
    "青溪镇",
    "岚桥镇",
    "石门乡",
    "白沙镇",
    "云台乡",
    "金竹镇",
    "清水乡",
    "双河镇",
    "桃源乡",
    "松柏镇",
    "龙潭乡",
]
VILLAGE_NAMES = [
    "东门",
    "西关",
    "南街",
    "北坪",
    "上塘",
    "下湾",
    "中和",
    "新民",
    "兴旺",
    "和平",
    "富强",
    "团结",
    "联合",
    "光明",
    "红星",
    "长岭",
    "枫林",
    "柳塘",
    "杨家",
    "李家",
    "张家",
    "陈家",
    "黄泥",
    "青山",
    "石桥",
    "高桥",
    "水口",
    "竹园",
]
WINDOWS = [
    ("A01", "综合受理窗口", ["xzspj"]),
    ("A02", "综合受理窗口", ["xzspj"]),
    ("A03", "市场主体登记", ["scjgj"]),
    ("A04", "食品经营许可", ["scjgj"]),
    ("A05", "工程建设项目审批", ["zjj", "zrzyj", "fgj"]),
    ("B01", "不动产登记", ["zrzyj"]),
    ("B02", "不动产登记", ["zrzyj", "swju"]),
    ("B03", "税务综合", ["swju"]),
    ("B04", "社会保险", ["rsj"]),
    ("B05", "医疗保障", ["ybj"]),
    ("C01", "公安户政", ["gaj"]),
    ("C02", "出入境", ["gaj"]),
    ("C03", "交通运输", ["jtj"]),
    ("C04", "公积金", ["gjjzx"]),
    ("C05", "民政婚姻", ["mzj"]),
    ("D01", "帮办代办", ["xzspj"]),
    ("D02", "12345 热线受理", ["sjzyj"]),
    ("D03", "政府信息公开", ["bgs"]),
    ("D04", "一件事一次办", ["xzspj"]),
    ("D05", "投诉与“办不成事”反映", ["xzspj"]),
]
# (username, name, org code suffix, role, scope)
STAFF = [
    ("county_admin", "周建国", "gov", Role.ADMIN, Scope.SUBTREE),
    ("leader", "林书记", "gov", Role.LEADER, Scope.SUBTREE),
    ("supervisor", "赵监察", "gov", Role.SUPERVISOR, Scope.SUBTREE),
    ("disclosure", "孙公开", "bgs", Role.DISCLOSURE_OFFICER, Scope.SELF),
    ("disclosure_gov", "钱文书", "gov", Role.DISCLOSURE_OFFICER, Scope.SELF),
    ("window_a03", "吴窗口", "zwzx", Role.WINDOW_STAFF, Scope.SELF),
    ("window_b01", "郑窗口", "zwzx", Role.WINDOW_STAFF, Scope.SELF),
    ("approver_scjgj", "王审批", "scjgj", Role.APPROVER, Scope.SELF),
    ("approver_zrzyj", "冯审批", "zrzyj", Role.APPROVER, Scope.SELF),
    ("hotline", "陈话务", "sjzyj", Role.HOTLINE_OPERATOR, Scope.SELF),
    ("handler_zjj", "褚经办", "zjj", Role.UNIT_HANDLER, Scope.SELF),
    ("handler_scjgj", "卫经办", "scjgj", Role.UNIT_HANDLER, Scope.SELF),
]


def _code(suffix: str) -> str:
    return f"{COUNTY[0]}-{suffix}"


@transaction.atomic
def build_demo_county(seed: int = 2026) -> dict[str, Any]:
    """Create the demo county once; running it again changes nothing and reports what is there."""
    if Org.objects.filter(code=COUNTY_ORG).exists():
        return _summary(created=False)
    rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not a secret
    actor = None  # the platform operator builds the demo
    services.division_create(actor=actor, code=PROVINCE[0], name=PROVINCE[1], level=DivisionLevel.PROVINCE)
    services.division_create(actor=actor, code=CITY[0], name=CITY[1], level=DivisionLevel.CITY, parent_code=PROVINCE[0])
    county_div = services.division_create(
        actor=actor, code=COUNTY[0], name=COUNTY[1], level=DivisionLevel.COUNTY, parent_code=CITY[0]
    )
    gov = services.org_create(
        actor=actor, code=COUNTY_ORG, name="青岚县人民政府", kind=OrgKind.GOVERNMENT, division=county_div
    )
    depts = {
        suffix: services.org_create(
            actor=actor, code=_code(suffix), name=name, kind=OrgKind.DEPARTMENT, parent=gov, division=county_div
        )
        for suffix, name in DEPARTMENTS
    }
    center = services.org_create(
        actor=actor,
        code=_code("zwzx"),
        name="青岚县政务服务中心",
        kind=OrgKind.SERVICE_CENTER,
        parent=gov,
        division=county_div,
    )
    hall = services.hall_create(actor=actor, org=center, name="县政务服务大厅", address="青岚县城关镇岚山大道88号")
    for number, name, dept_suffixes in WINDOWS:
        services.window_create(
            actor=actor, hall=hall, number=number, name=name, departments=[depts[s] for s in dept_suffixes]
        )
    villages = 0
    names = list(VILLAGE_NAMES)
    for i, town in enumerate(TOWNSHIPS, start=1):
        tcode = f"{COUNTY[0]}{100 + i:03d}"
        tdiv = services.division_create(
            actor=actor, code=tcode, name=town, level=DivisionLevel.TOWNSHIP, parent_code=COUNTY[0]
        )
        tgov = services.org_create(
            actor=actor, code=f"{tcode}-gov", name=f"{town}人民政府", kind=OrgKind.GOVERNMENT, parent=gov, division=tdiv
        )
        ccenter = services.org_create(
            actor=actor,
            code=f"{tcode}-bmzx",
            name=f"{town}便民服务中心",
            kind=OrgKind.CONVENIENCE_CENTER,
            parent=tgov,
            division=tdiv,
        )
        rng.shuffle(names)
        for j in range(12 + (i % 3)):  # 12–14 villages or communities each: about 155 in all
            suffix = "社区" if town == "城关镇" or j % 7 == 0 else "村"
            vname = f"{names[j % len(names)]}{suffix}"
            vcode = f"{tcode}{201 + j:03d}"
            vdiv = services.division_create(
                actor=actor, code=vcode, name=vname, level=DivisionLevel.VILLAGE, parent_code=tcode
            )
            services.org_create(
                actor=actor,
                code=f"{vcode}-zd",
                name=f"{town}{vname}便民服务站",
                kind=OrgKind.SERVICE_STATION,
                parent=ccenter,
                division=vdiv,
            )
            villages += 1
        services.staff_create(
            actor=actor,
            org=tgov,
            username=f"town{i:02d}_admin",
            full_name=f"{town}管理员",
            password=DEMO_PASSWORD,
            role=Role.ADMIN,
            check_password=False,
        )
        services.staff_create(
            actor=actor,
            org=ccenter,
            username=f"town{i:02d}_window",
            full_name=f"{town}窗口",
            password=DEMO_PASSWORD,
            role=Role.WINDOW_STAFF,
            scope=Scope.SELF,
            check_password=False,
        )
    for username, full_name, suffix, role, scope in STAFF:
        org = gov if suffix == "gov" else center if suffix == "zwzx" else depts[suffix]
        services.staff_create(
            actor=actor,
            org=org,
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
            role=role,
            scope=scope,
            check_password=False,
        )
    from zhengwu.hotline.demo import build_hotline_demo

    build_hotline_demo(gov=gov, rng=rng)
    if not Staff.objects.filter(username="admin").exists():
        Staff.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="平台管理员")
    build_disclosure_demo(gov=gov, depts=depts, rng=rng)
    build_service_hall_demo(gov=gov, depts=depts, rng=rng)
    return _summary(created=True)


def build_service_hall_demo(*, gov: Org, depts: dict[str, Org], rng: random.Random) -> dict[str, int]:
    """The service hall: ~40 catalog items and a few hundred cases of the last four months, replayed through the
    services at their own instants (zhengwu/cases/demo.py)."""
    from zhengwu.cases.demo import build_service_hall

    return build_service_hall(gov=gov, depts=depts, rng=rng)


# --- information disclosure ---------------------------------------------------------------------------------------
DISCLOSURE_COLUMNS = [  # (code, name, update interval in days)
    ("tzgg", "通知公告", 30),
    ("zcwj", "政策文件", 90),
    ("ghjh", "规划计划", 365),
    ("czxx", "财政信息", 90),
    ("rsxx", "人事信息", 180),
    ("xzxk", "行政许可", 30),
]
PUBLICATION_TITLES = [
    "关于营业执照办理的通知",
    "关于开展{y}年度安全生产大检查的通知",
    "{y}年部门预算公开说明",
    "关于印发《青岚县{t}管理办法》的通知",
    "关于{t}专项资金使用情况的公示",
    "{y}年第{q}季度{t}工作进展情况",
    "关于公开招聘{t}工作人员的公告",
    "青岚县{t}三年行动计划（{y}—{y2}年）",
    "关于调整{t}收费标准的通知",
    "关于{t}行政许可事项办理结果的公示",
]
TOPICS = ["农村公路", "城乡供水", "食品安全", "义务教育", "医疗保障", "生态环境", "住房保障", "农业产业", "文化旅游"]


def build_disclosure_demo(*, gov: Org, depts: dict[str, Org], rng: random.Random) -> dict[str, int]:
    """Columns and ~300 publications (through the ledger import), ~20 requests in every state across the year end
    (through the request services, with their real documents), two disputes and some enforcement decisions."""
    import datetime as dt
    from pathlib import Path

    from zhengwu.core import clock
    from zhengwu.core.ledger import ledger_import
    from zhengwu.disclosure.models import IndexScheme
    from zhengwu.disclosure.services import disputes as dispute_svc
    from zhengwu.disclosure.services import publications as pub_svc
    from zhengwu.disclosure.services import requests as req_svc
    from zhengwu.workdays import add_workdays, is_workday

    today = clock.today()
    publishers = [gov, depts["bgs"], depts["scjgj"], depts["zrzyj"], depts["jyj"]]
    total_pubs = 0
    for n, org in enumerate(publishers):
        IndexScheme.objects.create(org=org, prefix=f"{COUNTY[0]}{n:02d}", pattern="{prefix}/{year}-{seq:05d}")
        for order, (code, name, interval) in enumerate(DISCLOSURE_COLUMNS):
            pub_svc.column_create(actor=None, org=org, code=code, name=name, update_interval_days=interval, order=order)
        lines = ["ref,title,document_no,doc_type,column,formed_on,published_on,repealed_on"]
        for i in range(60):
            formed = today - dt.timedelta(days=rng.randint(3, 700))
            late = rng.random() < 0.05
            published = min(today, formed + dt.timedelta(days=rng.randint(35, 60) if late else rng.randint(0, 12)))
            column = rng.choice([c for c, _n, _i in DISCLOSURE_COLUMNS if c != "rsxx"])  # 人事信息 left stale
            doc_type = "other"
            if column == "zcwj":
                doc_type = "normative_document" if i % 7 else "regulation"
            repealed = ""
            if doc_type != "other" and rng.random() < 0.2 and published + dt.timedelta(days=60) < today:
                repealed = (published + dt.timedelta(days=rng.randint(60, (today - published).days))).isoformat()
            title = rng.choice(PUBLICATION_TITLES).format(
                y=formed.year, y2=formed.year + 2, q=(formed.month - 1) // 3 + 1, t=rng.choice(TOPICS)
            )
            number = f"青{org.short_name or org.name[1:3]}发〔{formed.year}〕{i + 1}号" if doc_type != "other" else ""
            lines.append(
                f"{formed.year}-{i + 1:03d},{title},{number},{doc_type},{column},{formed.isoformat()},"
                f"{published.isoformat()},{repealed}"
            )
        data = ("\n".join(lines) + "\n").encode("utf-8")
        total_pubs += ledger_import(
            actor=None, kind_name="publications", path=Path("demo.csv"), org=org, data=data
        ).created
    enforcement = ["ref,kind,decided_on"] + [
        f"QLSJ-{i:04d},{'punishment' if i % 4 else 'coercion'},{(today - dt.timedelta(days=rng.randint(1, 600))).isoformat()}"
        for i in range(1, 41)
    ]
    ledger_import(
        actor=None,
        kind_name="enforcement",
        path=Path("demo.csv"),
        org=depts["scjgj"],
        data=("\n".join(enforcement) + "\n").encode("utf-8"),
    )

    org = depts["bgs"]
    last_year_dec = dt.date(today.year - 1, 12, 1)
    names = itertools.cycle(
        ["刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴昊", "徐丽", "孙强", "马超", "胡月", "郭涛", "何琳", "高峰"]
    )

    def register(received: dt.date, subject: str, **extra: Any) -> Any:
        kind = extra.pop("applicant_kind", "natural_person")
        return req_svc.request_register(
            actor=None,
            org=extra.pop("org", org),
            channel=extra.pop("channel", "in_person"),
            applicant_kind=kind,
            applicant_name=extra.pop("name", next(names)),
            subject=subject,
            submitted_on=received,
            signed_on=received,
            confirmed_on=received,
            contact_phone=f"139{rng.randint(10000000, 99999999)}",
            **extra,
        )

    def wd(day: dt.date | None, n: int) -> dt.date:
        assert day is not None  # every demo request here has been received
        return min(add_workdays(day, n), today)

    def back(n: int) -> dt.date:
        day = today
        for _i in range(n):  # n workdays back, for the open requests' realistic ages
            day -= dt.timedelta(days=1)
            while not is_workday(day):
                day -= dt.timedelta(days=1)
        return day

    def this_year(month: int, day: int) -> dt.date:
        """A day of this year early enough for its whole story to have happened, else the same day a year before."""
        date = dt.date(today.year, month, day)
        return date if date <= today - dt.timedelta(days=75) else dt.date(today.year - 1, month, day)

    basis = "《中华人民共和国政府信息公开条例》第三十六条"
    # Received last December, replied this January: carried into this year's report.
    r = register(last_year_dec + dt.timedelta(days=9), "县城区老旧小区改造项目清单", channel="mail")
    req_svc.request_acknowledge(request=r, actor=None, confirmed_on=r.received_on)
    req_svc.request_reply(
        request=r,
        actor=None,
        outcome="open",
        legal_basis=basis + "第（二）项",
        delivered_items="项目清单一份",
        replied_on=wd(r.received_on, 15),
    )
    r = register(
        last_year_dec + dt.timedelta(days=19),
        "某路段拆迁补偿标准",
        applicant_kind="legal_service",
        name="岚山律师事务所",
    )
    req_svc.request_ask_clarification(request=r, actor=None, items="请写明路段名称", sent_on=wd(r.received_on, 2))
    r = req_svc.request_receive_clarification(
        request=r, actor=None, received_on=wd(r.received_on, 8), clarified_subject="岚山大道东段拆迁补偿标准"
    )
    req_svc.request_reply(
        request=r,
        actor=None,
        outcome="partial",
        legal_basis="条例第三十七条",
        delivered_items="补偿标准（隐去个人信息）",
        replied_on=wd(r.clarifications.get().received_on, 12),
    )
    # Concluded this year, one of each common outcome.
    year_start = this_year(2, 2)
    r = register(year_start, "县自来水厂水质检测报告", applicant_kind="research", name="青州环境研究所")
    req_svc.request_start_consultation(
        request=r, actor=None, third_party="青岚县自来水有限公司", from_on=wd(r.received_on, 3)
    )
    r = req_svc.request_end_consultation(request=r, actor=None, to_on=wd(r.received_on, 10), opinion="涉及商业秘密")
    req_svc.request_reply(
        request=r,
        actor=None,
        outcome="withheld.third_party",
        legal_basis="条例第十五条",
        replied_on=wd(r.received_on, 20),
    )
    for month, outcome, subject in [
        (3, "unavailable.not_held", "2010年乡镇合并的会议纪要"),
        (4, "not_processed.duplicate", "县城区老旧小区改造项目清单"),
        (5, "unavailable.needs_creation", "近十年全县各村人均收入统计对比表"),
        (6, "open", "县教育局2024年部门决算"),
    ]:
        received = this_year(month, 3)
        r = register(received, subject)
        req_svc.request_reply(
            request=r,
            actor=None,
            outcome=outcome,
            legal_basis=basis,
            delivered_items="决算报表" if outcome == "open" else "",
            replied_on=wd(received, 10),
        )
    # A late reply, after a 10-workday extension: stays marked late.
    r = register(
        dt.date(today.year, 7, 1),
        "县城市总体规划修编的专家评审意见",
        applicant_kind="public_welfare",
        name="青岚绿色家园协会",
    )
    req_svc.request_extend(
        request=r,
        actor=None,
        workdays=10,
        approved_by="县政府办公室副主任 林某",
        reason="涉及多个部门，需调取档案",
        granted_on=wd(r.received_on, 18),
    )
    req_svc.request_reply(
        request=r,
        actor=None,
        outcome="withheld.process_info",
        legal_basis="条例第十六条第二款",
        replied_on=wd(r.received_on, 33),
    )
    # No clarification by the deadline; a fee notice never paid.
    r = register(this_year(8, 4), "相关文件")
    r = req_svc.request_ask_clarification(
        request=r,
        actor=None,
        items="请写明所需文件的名称或文号",
        sent_on=wd(r.received_on, 2),
        deadline=wd(r.received_on, 12),
    )
    req_svc.request_close_unclarified(request=r, actor=None)
    heavy = "张伟"
    month_start = this_year(9, 1)
    for i in range(11):
        r = register(month_start, f"第{i + 1}项：某村集体资产处置材料", name=heavy)
    r = req_svc.fee_notice_issue(request=r, actor=None, method="per_request", issued_on=wd(r.received_on, 5))
    req_svc.request_close_fee_unpaid(request=r, actor=None)
    for other in org_requests_open(org, heavy):
        req_svc.request_reply(
            request=other,
            actor=None,
            outcome="open",
            legal_basis=basis,
            delivered_items="资产处置材料",
            replied_on=wd(other.received_on, 15),
        )
    # Open now: on time, warning, overdue, clarifying, consulting, awaiting a fee, transferred, online unconfirmed.
    register(back(3), "县人民医院新院区建设项目环评批复")
    register(back(18), "县城区停车收费标准的成本监审报告", applicant_kind="enterprise", name="青岚停车管理有限公司")
    register(back(24), "2025年度县级财政专项资金分配结果")
    r = register(back(4), "关于某小区规划调整的文件")
    req_svc.request_ask_clarification(request=r, actor=None, items="请写明小区名称", sent_on=back(1))
    r = register(back(12), "县垃圾焚烧发电项目运营合同")
    req_svc.request_start_consultation(request=r, actor=None, third_party="青岚环保能源有限公司", from_on=back(5))
    r = register(
        back(10), "全县2020年以来建设用地审批资料（约150页）", applicant_kind="enterprise", name="青州地产咨询有限公司"
    )
    req_svc.fee_notice_issue(request=r, actor=None, method="per_volume", pages=150, issued_on=back(2))
    r = register(back(6), "某地块土地出让合同")
    req_svc.request_transfer(request=r, actor=None, to_org=depts["zrzyj"], reason="土地出让信息由县自然资源局制作保存")
    for i, subject in enumerate(["县政府常务会议纪要（涉及学校布局调整部分）", "县2026年重点项目投资计划"]):
        req_svc.request_submit(
            org=org if i == 0 else gov,
            client_token=f"demo-online-request-{i:04d}",
            applicant_kind="natural_person",
            applicant_name=next(names),
            contact_phone="13900001111",
            subject=subject,
            delivery_form="email",
        )
    # Disputes over two of the replies.
    withheld = org_replied(org, "withheld.third_party")
    d1 = dispute_svc.dispute_file(
        actor=None, org=org, kind="reconsideration", filed_on=wd(withheld.replied_on, 10), request=withheld
    )
    dispute_svc.dispute_decide(actor=None, dispute=d1, decided_on=wd(d1.filed_on, 40), result="upheld")
    late = org_replied(org, "withheld.process_info")
    dispute_svc.dispute_file(
        actor=None, org=org, kind="litigation_direct", filed_on=wd(late.replied_on, 20), request=late
    )
    return {"publications": total_pubs}


def org_requests_open(org: Org, applicant_name: str) -> list[Any]:
    from zhengwu.disclosure.models import DisclosureRequest
    from zhengwu.disclosure.states import RequestStatus

    return list(
        DisclosureRequest.objects.filter(org=org, applicant_name=applicant_name, status=RequestStatus.PROCESSING)
    )


def org_replied(org: Org, outcome: str) -> Any:
    from zhengwu.disclosure.models import DisclosureRequest

    return DisclosureRequest.objects.filter(org=org, outcome=outcome).order_by("id").first()


def _summary(*, created: bool) -> dict[str, Any]:
    gov = Org.objects.get(code=COUNTY_ORG)
    subtree = Org.objects.filter(path__startswith=gov.path)
    return {
        "created": created,
        "county": gov.name,
        "orgs": subtree.count(),
        "departments": subtree.filter(kind=OrgKind.DEPARTMENT).count(),
        "townships": subtree.filter(kind=OrgKind.CONVENIENCE_CENTER).count(),
        "stations": subtree.filter(kind=OrgKind.SERVICE_STATION).count(),
        "staff": sorted(
            Staff.objects.filter(memberships__org__path__startswith=gov.path)
            .values_list("username", flat=True)
            .distinct()
        ),
        "divisions": Division.objects.filter(code__startswith=COUNTY[0]).count(),
    }
