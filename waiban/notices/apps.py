from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "waiban.notices"
    label = "notices"
    verbose_name = "Notices"

    def ready(self):
        from waiban.core.transitions import moved
        from waiban.notices.moves import notify_move

        moved.connect(notify_move, dispatch_uid="waiban.notices.notify_move")
