import pytest


@pytest.fixture(autouse=True)
def _catalogue(request):
    """The catalogue the data migration seeds, again: a transactional test (the browser's, the
    PostgreSQL ones) empties the tables for the tests that run after it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("db")
    from waiban.hall.models import ServiceGuideVersion, ServiceItem
    from waiban.hall.seed_catalogue import seed_catalogue

    seed_catalogue(ServiceItem, ServiceGuideVersion)
