"""The cases' daily work, run by the worker (waiban.outbox): trips follow their approved dates
(depart, come back) and close once nothing after the trip is outstanding. Idempotent."""

from waiban.outbox.registry import periodic_job
from waiban.visits.notify import cases_remind_deadlines
from waiban.visits.trip import trips_follow_dates

periodic_job("visits.follow_trip_dates", daily_at="00:05")(trips_follow_dates)
periodic_job("visits.remind_deadlines", daily_at="07:30")(cases_remind_deadlines)
