"""The real Redis that the shared-cache tests run against: 127.0.0.1:6379, databases 14 and
15. They are skipped only where no Redis listens, unless CI demands them with
WAIBAN_REQUIRE_REDIS=1."""

import os
import socket

import pytest

REDIS = "redis://127.0.0.1:6379"


def redis_listens() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_listens() and os.environ.get("WAIBAN_REQUIRE_REDIS") != "1",
    reason="no Redis on 127.0.0.1:6379",
)
