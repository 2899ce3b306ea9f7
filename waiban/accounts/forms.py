from waiban.accounts.login import LoginForm

__all__ = ["LoginForm"]
