"""The `items` ledger: GB18030 CSV and XLSX, all or nothing, idempotent; a changed row makes a new version."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from zhengwu.catalog.models import ServiceItem
from zhengwu.core.ledger import LedgerInvalid, ledger_export, ledger_import
from zhengwu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = "事项编码,事项名称,事项类型,实施部门,法定时限,承诺时限,办件类型,网上办理,全程网办,收费标准\n"


def _csv(county, *lines: str) -> bytes:
    body = HEADER + "".join(line.format(dept=county["dept"].code) + "\n" for line in lines)
    return body.encode("gb18030")


GOOD = (
    "SC001,食品经营许可,行政许可,{dept},20,10,承诺件,1,0,0",
    "SC002,个体工商户登记,行政确认,{dept},0,0,即办件,1,1,",
)


def _import(county, data: bytes, name: str = "items.csv"):
    return ledger_import(actor=None, kind_name="items", path=Path(name), org=county["gov"], data=data)


def test_a_gb18030_ledger_creates_items_and_a_second_import_changes_nothing(county):
    result = _import(county, _csv(county, *GOOD))
    assert result.as_dict() == {"created": 2, "updated": 0, "unchanged": 0}
    food = ServiceItem.objects.get(code="SC001")
    assert (food.current.name, food.current.category, food.current.promised_limit_days) == (
        "食品经营许可",
        "licensing",
        10,
    )
    assert ServiceItem.objects.get(code="SC002").current.fully_online is True
    events = AuditEvent.objects.count()
    assert _import(county, _csv(county, *GOOD)).as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    assert AuditEvent.objects.count() == events


def test_a_changed_row_makes_a_new_version(county):
    _import(county, _csv(county, *GOOD))
    changed = ("SC001,食品经营许可,行政许可,{dept},20,5,承诺件,1,0,0", GOOD[1])
    assert _import(county, _csv(county, *changed)).as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    food = ServiceItem.objects.get(code="SC001")
    assert (food.current.number, food.current.promised_limit_days) == (2, 5)
    assert food.versions.get(number=1).promised_limit_days == 10


def test_a_file_with_bad_rows_imports_nothing_and_names_every_one(county):
    bad = (
        GOOD[0],
        "SC003,坏事项,行政许可,{dept},5,10,承诺件,1,0,0",  # promise longer than the statute
        "SC004,外县事项,行政许可,nowhere,5,5,承诺件,1,0,0",  # unknown department
    )
    with pytest.raises(LedgerInvalid) as err:
        _import(county, _csv(county, *bad))
    assert [(p.line, p.column) for p in err.value.problems] == [(3, "promised_limit_days")]
    with pytest.raises(LedgerInvalid) as err:
        _import(county, _csv(county, GOOD[0], bad[2]))
    assert [(p.line, p.column) for p in err.value.problems] == [(3, "department")]
    assert not ServiceItem.objects.exists()


def test_an_xlsx_ledger_reads_like_the_csv_and_the_export_reads_back_unchanged(county):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    for line in GOOD:
        sheet.append([int(c) if c.isdigit() else c for c in line.format(dept=county["dept"].code).split(",")])
    out = io.BytesIO()
    book.save(out)
    assert _import(county, out.getvalue(), "items.xlsx").created == 2
    exported = ledger_export(actor=None, kind_name="items", org=county["gov"], fmt="csv")
    assert _import(county, exported).as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
