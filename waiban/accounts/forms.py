from django.contrib.auth.forms import AuthenticationForm

from waiban.core.forms import BootstrapMixin


class LoginForm(BootstrapMixin, AuthenticationForm):
    pass
