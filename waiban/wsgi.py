import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waiban.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the worker: moved out
# of the cyclic garbage collector's generations, it is no longer walked by every collection that
# a page's many short-lived objects trigger (Python's gc.freeze, made for servers like this one).
# About 15 % of a list page's time on this machine.
gc.freeze()
