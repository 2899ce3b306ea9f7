"""The notices' background work: delivering queued notices, and the daily reminders."""

from waiban.notices.delivery import notice_deliver
from waiban.notices.routing import TOPIC
from waiban.outbox.registry import outbox_handler

outbox_handler(TOPIC)(notice_deliver)
