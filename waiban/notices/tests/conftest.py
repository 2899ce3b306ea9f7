from waiban.testing.sms import sms_gateway  # noqa: F401  (a fixture)
