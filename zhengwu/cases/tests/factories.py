"""Factories for cases, made through the services (so the clock, the audit trail and the constraints are real)."""

from __future__ import annotations

from zhengwu.cases.models import Case
from zhengwu.cases.services import Applicant, Upload, case_accept, case_register, case_submit
from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.tests.factories import make_item

PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 check digit


def applicant(name: str = "张三") -> Applicant:
    return Applicant(name=name, id_number=ID_NUMBER, phone="13800138000")


def submit_online(item: ServiceItem, *, name: str = "张三") -> Case:
    return case_submit(item=item, applicant=applicant(name), summary="申请", uploads=[Upload("申请书.pdf", PDF)])


def register_at_window(hall, item: ServiceItem | None = None, *, then: str = "accept", name: str = "李四") -> Case:
    item = item or make_item(org=hall.dept, window=hall.window)
    return case_register(actor=hall.window_staff, window=hall.window, item=item, applicant=applicant(name), then=then)


def accepted_case(hall, **item_kwargs) -> Case:
    item = make_item(org=hall.dept, window=hall.window, **item_kwargs)
    case = submit_online(item)
    return case_accept(actor=hall.approver, case=case)
