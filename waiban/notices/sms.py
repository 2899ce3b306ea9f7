"""SMS through a gateway: one small interface, a generic HTTP adapter that an intranet's own
SMS gateway or a cloud provider's can sit behind, and a file gateway for ``make run``.

Settings (from the environment, see settings.py): ``WAIBAN_SMS_BACKEND`` ("http", "file" or
"none"); for "http": ``WAIBAN_SMS_URL``, ``WAIBAN_SMS_BODY`` (a string.Template of the request's
JSON body with $phone, $text and $key; each value is JSON-escaped), ``WAIBAN_SMS_TOKEN`` (sent
as "Authorization: Bearer …"), ``WAIBAN_SMS_TIMEOUT`` (seconds). Every request carries the
notice's key as ``Idempotency-Key``: a retry after a timeout is the same message to the gateway.
"""

import json
import string
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DEFAULT_BODY = '{"phone": $phone, "text": $text, "key": $key}'


class SmsFailed(Exception):
    """The gateway did not take the message; ``code`` says why without quoting it."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def mask_phone(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"


class HttpGateway:
    def __init__(self, *, url, body=DEFAULT_BODY, token="", timeout=10):
        self.url, self.body, self.token, self.timeout = url, body, token, timeout

    def send(self, *, phone: str, text: str, key: str) -> None:
        values = {
            name: json.dumps(value, ensure_ascii=False)
            for name, value in (("phone", phone), ("text", text), ("key", key))
        }
        data = string.Template(self.body).substitute(values).encode()
        request = urllib.request.Request(self.url, data=data, method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        request.add_header("Idempotency-Key", key)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise SmsFailed(f"http_{error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsFailed(f"unreachable:{type(error).__name__}") from None


class FileGateway:
    """Writes each SMS to a file of the day (the number masked), for a demo without a
    gateway."""

    def __init__(self, *, folder):
        self.folder = Path(folder)

    def send(self, *, phone: str, text: str, key: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        now = timezone.localtime()
        with open(self.folder / f"{now:%Y-%m-%d}.txt", "a", encoding="utf-8") as out:
            out.write(f"{now:%H:%M:%S}\t{mask_phone(phone)}\t{key}\t{text}\n")


class NoGateway:
    def send(self, *, phone: str, text: str, key: str) -> None:
        raise SmsFailed("no_gateway")


def sms_gateway():
    backend = settings.WAIBAN_SMS["backend"]
    if backend == "http":
        return HttpGateway(
            url=settings.WAIBAN_SMS["url"],
            body=settings.WAIBAN_SMS["body"] or DEFAULT_BODY,
            token=settings.WAIBAN_SMS["token"],
            timeout=settings.WAIBAN_SMS["timeout"],
        )
    if backend == "file":
        return FileGateway(folder=settings.WAIBAN_SMS["folder"])
    return NoGateway()
