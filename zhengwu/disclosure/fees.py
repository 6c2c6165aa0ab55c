"""The information processing fee (spec/fees.md, 国办函〔2020〕109号): two progressive methods, one per request."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from zhengwu.core.errors import InvalidInput

FREE_REQUESTS_PER_MONTH = 10
# (first page of the band, yuan per page) — pages 1–30 free, 31–100 at 10, 101–200 at 20, 201+ at 40.
VOLUME_BANDS = ((1, 0), (31, 10), (101, 20), (201, 40))


def per_request_fee(nth_in_month: int) -> Decimal:
    """The fee for the applicant's n-th request this month: 1–10 free, 11–30 100 yuan, then +100 per band of 10."""
    if isinstance(nth_in_month, bool) or not isinstance(nth_in_month, int) or nth_in_month < 1:
        raise InvalidInput(
            _("本月第几件申请应为不小于 1 的整数：%(n)s") % {"n": nth_in_month}, detail={"n": ["invalid"]}
        )
    if nth_in_month <= FREE_REQUESTS_PER_MONTH:
        return Decimal("0")
    if nth_in_month <= 30:
        return Decimal("100")
    # 31–40 → 200, 41–50 → 300, …
    return Decimal(100 * (2 + (nth_in_month - 31) // 10))


def per_volume_fee(pages: int) -> Decimal:
    """The fee for `pages` A4-equivalent pages of one request, progressive by band."""
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
        raise InvalidInput(_("页数应为非负整数：%(n)s") % {"n": pages}, detail={"pages": ["invalid"]})
    total = 0
    bounds = [*VOLUME_BANDS[1:], (pages + 1, 0)]
    for (first, price), (next_first, _price) in zip(VOLUME_BANDS, bounds, strict=False):
        last = min(pages, next_first - 1)
        if last >= first:
            total += (last - first + 1) * price
    return Decimal(total)
