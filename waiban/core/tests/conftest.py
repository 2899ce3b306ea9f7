# A fixture of another app that the bad-input answers build on.
from waiban.watchlists.tests.test_pages import hit  # noqa: F401
