"""The demo county: a realistic, fictional 青岚县 with its departments, service hall, townships and villages.

Everything is created through the same services the UI uses, so the demo's audit trail is a real one.
Later domains (catalog, cases, disclosure, hotline) add their demo data from here.
"""

from __future__ import annotations

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
    if not Staff.objects.filter(username="admin").exists():
        Staff.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="平台管理员")
    return _summary(created=True)


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
