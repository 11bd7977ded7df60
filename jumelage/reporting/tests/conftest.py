"""The reporting tests read messages in English, the source language, whatever the site's
default language (French) and whatever translations exist."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
