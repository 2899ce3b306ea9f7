"""The passport office's daily work, run by the worker (see ``waiban.outbox``) instead of cron.
Each job is idempotent: reminders carry a key per loan and period, expiry finds nothing twice."""

from waiban.outbox.registry import periodic_job
from waiban.passports.loans import loans_refresh_all
from waiban.passports.reminders import passports_expire, passports_remind

periodic_job("passports.expire", daily_at="00:10")(passports_expire)
periodic_job("passports.loans_refresh", daily_at="05:30")(loans_refresh_all)
periodic_job("passports.remind", daily_at="06:00")(passports_remind)
