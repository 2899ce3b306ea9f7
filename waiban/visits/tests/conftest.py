# Fixtures of other apps that the case page tests build on.
from waiban.documents.tests.conftest import signing_keys  # noqa: F401
from waiban.watchlists.tests.test_pages import hit  # noqa: F401
