"""The real Redis that the shared-cache tests run against: 127.0.0.1:6379, database 14. They
are skipped only where no Redis listens, unless CI demands them with WAIBAN_REQUIRE_REDIS=1
(then they fail where none listens)."""

import os
import socket

REDIS = "redis://127.0.0.1:6379"


def redis_listens() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def redis_wanted() -> bool:
    """Run the Redis tests: a Redis listens, or CI requires them."""
    return redis_listens() or os.environ.get("WAIBAN_REQUIRE_REDIS") == "1"
