"""site_path answers what reverse() answers, in the site's language, without resolving the URL
for each item of a page."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from jumelage.api.schemas import site_path


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("public:authority", ["ville-a"]),
        ("public:project", ["ville-a", "etat-civil"]),
        ("public:project", ["ville_b-2", "jumelagearg0x"]),  # slugs that look like the marks
        ("public:project", ["jumelagearg1x", "x"]),
    ],
)
def test_it_answers_what_reverse_answers_in_the_sites_language(name, args):
    with translation.override("fr"):
        expected = reverse(name, args=args)
    with translation.override("en"):  # the reader's language changes nothing
        assert site_path(name, *args) == expected
        assert site_path(name, *args) == expected  # from the resolved template


def test_an_argument_that_is_no_slug_is_left_to_reverse():
    with pytest.raises(NoReverseMatch):
        site_path("public:project", "ville-a", "été 2025")
