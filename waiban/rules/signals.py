"""Keep the cached rule versions honest: a new version is read by the next submission."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from waiban.rules.engine import forget_rule_versions


@receiver([post_save, post_delete], sender="rules.RuleVersion")
def forget_cached_rule_versions(**kwargs):
    forget_rule_versions()
