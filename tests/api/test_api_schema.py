"""The schema: served in YAML and JSON, describing each path's parameters as the path names them."""

import json
import re

import pytest
import yaml
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_in_yaml_and_json(client):
    as_yaml = client.get(reverse("api:schema"))
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    as_json = client.get(reverse("api:schema"), {"format": "json"})
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert yaml.safe_load(as_yaml.content) == json.loads(as_json.content)
    assert json.loads(as_json.content)["openapi"].startswith("3.")


def test_each_path_parameter_is_in_its_path_and_typed(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        named = set(re.findall(r"{(\w+)}", path))
        declared = [p for p in operations["get"]["parameters"] if p["in"] == "path"] if named else []
        assert {p["name"] for p in declared} == named, path
        assert all(p["schema"].get("type") in ("integer", "string") for p in declared), path


def test_only_reads_are_described(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert {method for operations in schema["paths"].values() for method in operations} == {"get"}
