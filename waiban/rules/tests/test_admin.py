"""The rule-version admin form shows the parameters as the JSON it saves and reads back."""

import html
import json
import re

import pytest

from waiban.accounts.roles import Role
from waiban.rules.engine import REGISTRY
from waiban.rules.models import RuleVersion
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/rules/ruleversion/add/"


@pytest.fixture
def admin_client(client, authority):
    sysadmin = UserFactory(role=Role.SYS_ADMIN, authority=authority, is_staff=True)
    client.force_login(sysadmin)
    return client


def _textarea(page, name="params") -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1))


def _value(page, name) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def _selected(page, name) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return found.group(1) if found else ""


def _as_shown(page, **changes) -> dict:
    """The form submitted with what it shows, as an administrator pressing Save would."""
    data = {
        "rule": _selected(page, "rule"),
        "authority": _selected(page, "authority"),
        "severity": _selected(page, "severity"),
        "params": _textarea(page),
        "source": _value(page, "source"),
        "effective_from": "2026-01-01",
        "note": "",
    }
    data.update(changes)
    return data


def _error_beside_params(page) -> str:
    row = re.search(r'<div class="form-row[^"]*field-params.*?</textarea>', page, re.S).group(0)
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', row, re.S))


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_each_rules_defaults_are_shown_as_pretty_json_and_saved_unchanged(admin_client, code):
    page = admin_client.get(ADD, {"rule": code}).content.decode()
    shown = _textarea(page)
    assert shown == json.dumps(REGISTRY[code].params, indent=2, ensure_ascii=False)
    response = admin_client.post(ADD, _as_shown(page))
    assert response.status_code == 302
    version = RuleVersion.objects.get()
    assert (version.rule, version.params) == (code, REGISTRY[code].params)


def test_broken_json_is_refused_beside_the_field_and_kept_as_typed(admin_client):
    page = admin_client.get(ADD, {"rule": "stay-days"}).content.decode()
    typed = '{\n  "limits": {"1": 6, "2": 8, "3": 10},\n  "extra_day_regions": [\'africa\'],\n}'
    response = admin_client.post(ADD, _as_shown(page, params=typed))
    assert response.status_code == 200
    again = response.content.decode()
    assert _textarea(again) == typed
    assert "line 3, column" in _error_beside_params(again)
    assert not RuleVersion.objects.exists()


@pytest.mark.parametrize(
    "code, params, words",
    [
        ("group-size", {"max_people": "six"}, "max_people must be like 6"),
        ("group-size", {"max_people": True}, "max_people must be like 6"),
        ("group-size", {"max": 6}, "Expected the keys max_people"),
        ("group-size", [6], "must be a JSON object"),
        ("stay-days", {"limits": {"one": 5}, "extra_day_regions": [], "extra_days": 1}, "whole"),
        ("stay-days", {"limits": {"1": "5"}, "extra_day_regions": [], "extra_days": 1}, "limits.1"),
        ("budget", {"exempt_funding_sources": ["host", 1]}, "exempt_funding_sources[2]"),
        (
            "frequency",
            {
                "limits": [{"ranks": ["bureau_full"], "max_trips": 1}],
                "exempt_teaching_research": True,
                "term_start": "",
            },
            "limits[1] must have the keys max_trips, ranks, years",
        ),
    ],
)
def test_parameters_that_do_not_fit_the_rule_are_refused_beside_the_field(
    admin_client, code, params, words
):
    page = admin_client.get(ADD, {"rule": code}).content.decode()
    typed = json.dumps(params, ensure_ascii=False)
    response = admin_client.post(ADD, _as_shown(page, params=typed))
    assert response.status_code == 200
    again = response.content.decode()
    assert words in html.unescape(_error_beside_params(again))
    assert _textarea(again) == typed
    assert not RuleVersion.objects.exists()


def test_a_saved_version_is_read_laid_out_and_changed_by_starting_a_new_one(admin_client):
    page = admin_client.get(ADD, {"rule": "group-size"}).content.decode()
    admin_client.post(
        ADD, _as_shown(page, params='{"max_people": 8}', source="某省外办〔2026〕2号")
    )
    first = RuleVersion.objects.get()

    view = admin_client.get(f"/admin/rules/ruleversion/{first.pk}/change/").content.decode()
    assert '<pre>{\n  "max_people": 8\n}</pre>' in html.unescape(view)
    link = html.unescape(re.search(r'<a href="([^"]+)" data-new-version', view).group(1))
    assert link == f"{ADD}?from={first.pk}"

    page = admin_client.get(link).content.decode()
    assert json.loads(_textarea(page)) == {"max_people": 8}
    assert _value(page, "source") == "某省外办〔2026〕2号"
    assert admin_client.post(ADD, _as_shown(page)).status_code == 302
    second = RuleVersion.objects.exclude(pk=first.pk).get()
    assert (second.rule, second.params, second.source) == (
        "group-size",
        {"max_people": 8},
        "某省外办〔2026〕2号",
    )


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "0", "１"])
def test_an_add_link_naming_no_version_opens_an_empty_form(admin_client, value):
    response = admin_client.get(ADD, {"from": value})
    assert response.status_code == 200


def test_a_params_link_that_is_not_json_is_shown_as_given(admin_client):
    page = admin_client.get(ADD, {"rule": "group-size", "params": "{oops"}).content.decode()
    assert _textarea(page) == "{oops"
