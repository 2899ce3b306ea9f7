"""Whether a rule version's parameters have the shape of the rule's defaults.

A check reads its parameters without asking (``params["limits"]["1"]``), so a version saved with
a missing key or a value of the wrong kind would break every application judged by it. The
defaults in code are the pattern: the top level keeps their keys; an object inside is a table
(its keys free, its values of the defaults' kind: the stay-days limits, the lead times by
country); a list's items are like the default's items (objects in a list have the keys the
default's objects have, those in all of them required).
"""

import json

from django.utils.translation import gettext as _


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def params_problem(params, defaults: dict) -> str:
    """What is wrong with ``params`` in plain words, or "" when it fits ``defaults``."""
    if not isinstance(params, dict):
        return _("The parameters must be a JSON object.")
    if set(params) != set(defaults):
        return _("Expected the keys %(keys)s.") % {"keys": ", ".join(sorted(defaults))}
    for key, default in defaults.items():
        problem = _value_problem(params[key], default, key)
        if problem:
            return problem
    return ""


def _like(path: str, example) -> str:
    return _("%(key)s must be like %(example)s.") % {"key": path, "example": as_json(example)}


def _same_kind(value, default) -> bool:
    # true is an int to Python, but no number of days; a TextChoices member is text
    if isinstance(value, bool) or isinstance(default, bool):
        return type(value) is type(default)
    kind = next(k for k in (str, int, float, list, dict, object) if isinstance(default, k))
    return isinstance(value, kind)


def _value_problem(value, default, path: str) -> str:
    if not _same_kind(value, default):
        return _like(path, default)
    if isinstance(default, dict) and default:
        return _table_problem(value, default, path)
    if isinstance(default, list) and default:
        for number, item in enumerate(value, start=1):
            problem = _item_problem(item, default, f"{path}[{number}]")
            if problem:
                return problem
    return ""


def _table_problem(value: dict, default: dict, path: str) -> str:
    if all(key.isdigit() for key in default) and not all(key.isdigit() for key in value):
        return _("The keys of %(key)s must be whole numbers in quotes, like %(example)s.") % {
            "key": path,
            "example": as_json(default),
        }
    sample = next(iter(default.values()))
    for key, item in value.items():
        problem = _value_problem(item, sample, f"{path}.{key}")
        if problem:
            return problem
    return ""


def _item_problem(item, samples: list, path: str) -> str:
    if not all(isinstance(sample, dict) for sample in samples):
        return _value_problem(item, samples[0], path)
    if not isinstance(item, dict):
        return _like(path, samples[0])
    kinds = {}
    for sample in samples:
        for key, value in sample.items():
            kinds.setdefault(key, value)
    required = set.intersection(*(set(sample) for sample in samples))
    if not required <= set(item) or not set(item) <= set(kinds):
        return _("%(key)s must have the keys %(required)s and may have %(optional)s.") % {
            "key": path,
            "required": ", ".join(sorted(required)),
            "optional": ", ".join(sorted(set(kinds) - required)) or "-",
        }
    for key, value in item.items():
        problem = _value_problem(value, kinds[key], f"{path}.{key}")
        if problem:
            return problem
    return ""
