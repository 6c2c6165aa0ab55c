"""The Chinese name of each metric code (spec/service-metrics.md), for exports, the dashboard and the bulletin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS = {
    "submitted": _("申请件数"),
    "accepted": _("受理件数"),
    "rejected": _("不予受理件数"),
    "concluded": _("办结件数"),
    "approved": _("准予许可"),
    "denied": _("不予许可"),
    "instant_concluded": _("即办件办结数"),
    "promised_concluded": _("承诺件办结数"),
    "on_time_rate": _("按时办结率"),
    "early_rate": _("提前办结率"),
    "overdue_concluded": _("超时办结件"),
    "overdue_open": _("超时未办结件"),
    "same_day_rate": _("当日受理办结率"),
    "on_site_rate": _("现场办结率"),
    "avg_accept_workdays": _("平均受理时间（工作日）"),
    "avg_conclude_workdays": _("平均办结时间（工作日）"),
    "promise_speedup": _("承诺提速"),
    "handling_speedup": _("办理提速"),
    "online_applied_rate": _("网上申办率"),
    "online_concluded_rate": _("网上办结率"),
    "zero_visit_rate": _("零跑动率"),
    "at_most_one_visit_rate": _("最多跑一次率"),
    "evaluation_rate": _("评价率"),
    "satisfaction_rate": _("满意率"),
    "bad_reviews": _("差评数"),
    "bad_review_rectified_rate": _("差评整改率"),
    "warnings_open": _("预警件"),
    "items": _("事项数"),
    "items_by_category": _("分类事项数"),
    "catalog_promise_compression": _("承诺时限压缩率"),
    "online_item_rate": _("上网办理率"),
    "fully_online_item_rate": _("全流程网上办理率"),
    "township_center_coverage": _("乡镇便民服务中心覆盖率"),
    "village_station_coverage": _("村(社区)便民服务站覆盖率"),
    "tickets": _("受理工单"),
    "tickets_by_kind": _("工单诉求类型"),
    "tickets_by_channel": _("工单来源渠道"),
    "answered_directly": _("直接答复"),
    "dispatched": _("转办"),
    "ticket_concluded_rate": _("工单办结率"),
    "ticket_on_time_rate": _("工单按期办结率"),
    "ticket_satisfaction_rate": _("工单满意率"),
    "returns": _("退单"),
    "yellow_cards": _("黄牌"),
    "red_cards": _("红牌"),
}

# Codes that are rates or speedups: shown as percentages with two decimals.
FRACTIONS = frozenset(
    code for code in LABELS if code.endswith("_rate") or code.endswith("_coverage") or code.endswith("speedup")
) | {"catalog_promise_compression"}


def display(code: str, value: Any) -> str:
    """A value as people read it: 99.99%, 0.37, 172544, — for null, 'a: 1、b: 2' for an object."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "、".join(f"{k}: {v}" for k, v in value.items()) or "—"
    if code in FRACTIONS:
        return f"{value * 100:.2f}%"
    return str(value)
