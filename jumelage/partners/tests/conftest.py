"""Test isolation for this app's tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _language_left_as_found():
    """A request to an /en/ page activates English in the thread (LocaleMiddleware) and nothing
    turns it off: go back to the default language, so that later tests see French."""
    yield
    translation.deactivate()
