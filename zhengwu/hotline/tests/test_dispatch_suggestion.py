"""The dispatch suggestion learns from the hotline's handled tickets and ranks units for a new one."""

from __future__ import annotations

import pytest

from zhengwu.core.errors import PermissionDenied
from zhengwu.hotline.models import DispatchModel
from zhengwu.hotline.suggest import dispatch_model_train, dispatch_suggestions, tokens
from zhengwu.hotline.tests.factories import handling, make_ticket

pytestmark = pytest.mark.django_db

MARKET = ["超市出售过期牛奶", "餐馆食材变质导致腹泻", "商店销售假冒白酒", "健身房预付卡不退费"]
LAND = ["邻居违法占用耕地建房", "宅基地界址纠纷需要测量", "山体开挖破坏林地", "矿山无证开采"]


def test_words_come_from_segmentation_with_the_kind_as_a_token():
    words = tokens("楼下烧烤店油烟扰民", "complaint", "consumer")

    assert "油烟" in words and "扰民" in words
    assert "kind:complaint" in words and "subtype:complaint.consumer" in words


def test_trained_on_handled_tickets_it_suggests_the_right_unit(county, operator, frozen):
    for i in range(3):
        for text in MARKET:
            handling(
                org=county["gov"], unit=county["dept"], content=f"{text}{i}", caller_phone=f"1380000{i}{len(text):03d}"
            )
        for text in LAND:
            handling(
                org=county["gov"],
                unit=county["dept2"],
                content=f"{text}{i}",
                kind="report",
                subtype="other",
                caller_phone=f"1390000{i}{len(text):03d}",
            )

    result = dispatch_model_train(actor=None, org=county["gov"])
    new = make_ticket(
        org=county["gov"], actor=operator, content="小卖部出售过期牛奶和假冒白酒", caller_phone="13600000000"
    )

    assert (result.train_count, result.test_count) == (19, 5)
    assert result.top1 is not None and result.top3 == 1.0
    assert dispatch_suggestions(new)[0][0] == county["dept"]
    assert DispatchModel.objects.get(org=county["gov"]).top1 == result.top1


def test_no_model_no_suggestion_and_only_admins_retrain(county, operator, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)

    assert dispatch_suggestions(ticket) == []
    with pytest.raises(PermissionDenied):
        dispatch_model_train(actor=operator, org=county["gov"])
