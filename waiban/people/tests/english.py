"""Tests read the English msgids; the UI defaults to Chinese once the catalogue is compiled."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_ui(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
