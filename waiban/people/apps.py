from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "waiban.people"
    label = "people"
    verbose_name = "People"
