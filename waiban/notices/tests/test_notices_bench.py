"""The notices benchmark (bench/notices_bench.py) runs end to end on a few moves: the world it
builds is what its docstring says, and every notice the moves queue is delivered exactly once
on its channel, with no failure. No timing is asserted."""

import pytest

from bench import notices_bench

pytestmark = pytest.mark.django_db

MOVES = 6
# Each accept tells the unit's 2 clerks (app, e-mail, SMS) and the office's 3 reviewers (app,
# e-mail); the bench also makes 2 untimed moves with notices (warm-up, counting queries).
TOLD = MOVES + 2
PER_CHANNEL = {"inbox": 5 * TOLD, "email": 5 * TOLD, "sms": 2 * TOLD}


def test_the_bench_delivers_every_notice_of_its_moves_exactly_once(tmp_path):
    printed = []

    result = notices_bench.run(transitions=MOVES, batch=4, workdir=tmp_path, out=printed.append)

    assert result["moves"]["per_move_rows"] == 12
    found = result["counts"]
    assert found["outbox rows"] == found["outbox rows done"] == 12 * TOLD
    assert found["inbox"] == PER_CHANNEL["inbox"]
    assert found["email"] == found["email distinct"] == PER_CHANNEL["email"]
    assert found["sms"] == found["sms distinct"] == PER_CHANNEL["sms"]
    assert found["logged"] == PER_CHANNEL["email"] + PER_CHANNEL["sms"]
    assert result["delivery"]["states"] == {"done": 12 * TOLD}
    assert result["delivery"]["delivered"] == 12 * TOLD
    assert any("exactly once" in line for line in printed)
    assert any("notices/s" in line for line in printed)
