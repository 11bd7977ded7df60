"""Tests of projects read amounts and messages in French, the default language: pin it, since
a request made by another app's test may leave another language active in the thread."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield
