"""Personal data is shown masked wherever the whole value is not needed."""

from hypothesis import given
from hypothesis import strategies as st

from zhengwu.core.masking import ID_NUMBER_RE, id_number_valid, mask_id_number, mask_name, mask_phone


def _with_check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def test_id_number_check_digit():
    valid = _with_check_digit("11010519491231002")
    assert valid == "11010519491231002X"
    assert id_number_valid(valid)
    assert not id_number_valid("110105194912310021")
    assert not id_number_valid("1101051949123100")


def test_id_number_is_masked_keeping_region_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("") == ""


def test_phone_and_name_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0746-8821234") == "074*******34"
    assert mask_name("张三丰") == "张**"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_masked_mobile_never_shows_the_middle_digits(phone):
    masked = mask_phone(phone)
    assert masked[3:7] == "****" and masked[:3] == phone[:3] and masked[-4:] == phone[-4:]


def test_id_number_pattern_finds_numbers_in_text():
    text = "申请人身份证 11010519491231002X，电话 13812345678。"
    assert ID_NUMBER_RE.findall(text) == ["11010519491231002X"]
