"""url_maker: the link reverse() would make, for every argument, at the cost of one reverse()."""

import pytest
from django.urls import reverse

from campaign.links import SENTINEL, split_at_sentinel, url_maker


@pytest.mark.parametrize(
    "code", ["410922", "A00-ZF", "清丰县", "a b", "50%", "x?y", "x#y", "a+b&c=d", "~:@!$'()*,;"]
)
def test_codes_are_quoted_as_reverse_quotes_them(code):
    assert url_maker("units:detail")(code) == reverse("units:detail", args=[code])


def test_ids_and_a_suffix():
    make = url_maker("rectification:item", "#evidence")
    assert [make(pk) for pk in (1, 42, 10**9)] == [
        reverse("rectification:item", args=[pk]) + "#evidence" for pk in (1, 42, 10**9)
    ]


def test_a_url_that_does_not_show_its_argument_is_not_split():
    assert split_at_sentinel("/reviews/inbox/") is None
    assert split_at_sentinel(f"/a/{SENTINEL}/b/{SENTINEL}/") is None
    assert split_at_sentinel(f"/a/{SENTINEL}/b/") == ("/a/", "/b/")
