from zhengwu.core.querycode import ALPHABET, LENGTH, format_query_code, new_query_code, normalise_query_code


def test_codes_use_only_unambiguous_characters_and_do_not_repeat():
    codes = {new_query_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("0O1IL") & set(ALPHABET)


def test_what_the_applicant_types_is_normalised():
    code = new_query_code()
    assert normalise_query_code(f" {format_query_code(code).lower()} ") == code
    assert normalise_query_code("too-short") == ""
    assert normalise_query_code("O" * LENGTH) == ""
