"""The data endpoint from an OpenAPI document: GET with the document's values only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from synthcheck.init.openapi import OpenApiError, find_data_operation, parse_document


def _doc(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


SERIES = {"name": "series", "in": "query", "required": True, "schema": {"type": "string"}}


def test_the_fred_operation_with_an_enum_is_chosen_and_posts_are_ignored() -> None:
    doc = _doc(
        {
            "/api/fred-data": {
                "get": {"parameters": [{**SERIES, "schema": {"enum": ["UNRATE", "GDPC1"]}}]},
                "post": {"parameters": [{**SERIES, "example": "DROP"}]},
            },
            "/api/users": {"get": {}},
            "/api/health": {"get": {}},
            "/api/cache": {"delete": {}},
        }
    )
    found = find_data_operation(doc)
    assert found.operation is not None
    assert found.operation.path == "/api/fred-data"
    assert found.operation.params == (("series", ("UNRATE", "GDPC1")),)
    assert found.health_paths == ["/api/health"]


def test_a_required_parameter_without_example_is_never_guessed() -> None:
    doc = _doc({"/api/series": {"get": {"parameters": [SERIES]}}})
    found = find_data_operation(doc)
    assert found.operation is None
    assert found.skipped == [
        "GET /api/series: 'series' has no example or enum (values are not guessed)"
    ]


def test_refs_examples_path_parameters_and_the_server_prefix() -> None:
    doc = _doc(
        {
            "/series/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": {
                    "parameters": [
                        {"name": "limit", "in": "query", "examples": {"a": {"value": 5}}},
                        {"name": "sort", "in": "query", "default": "asc"},  # a default is not used
                    ]
                },
            }
        },
        servers=[{"url": "https://api.example.com/v2"}],
        components={"parameters": {"Id": {"name": "id", "in": "path", "example": "CPI AUC"}}},
    )
    operation = find_data_operation(doc).operation
    assert operation is not None
    assert operation.path == "/v2/series/CPI%20AUC"
    assert operation.params == (("limit", ("5",)),)


def test_operations_needing_credentials_or_headers_are_skipped() -> None:
    doc = _doc(
        {
            "/api/data": {"get": {"security": [{"apiKey": []}]}},
            "/api/fred": {
                "get": {"parameters": [{"name": "X-Key", "in": "header", "required": True}]}
            },
        },
    )
    found = find_data_operation(doc)
    assert found.operation is None
    assert len(found.skipped) == 2


def test_swagger_2_base_path_and_x_example() -> None:
    doc = {
        "swagger": "2.0",
        "basePath": "/api",
        "paths": {
            "/fred-data": {
                "get": {"parameters": [{"name": "series", "in": "query", "x-example": "UNRATE"}]}
            }
        },
    }
    operation = find_data_operation(doc).operation
    assert operation is not None
    assert operation.path == "/api/fred-data"
    assert operation.params == (("series", ("UNRATE",)),)


def test_documents_are_read_as_json_and_as_yaml_when_pyyaml_is_there() -> None:
    doc = _doc({"/x": {"get": {}}})
    assert parse_document(json.dumps(doc), "f") == doc
    pytest.importorskip("yaml")
    assert parse_document("openapi: 3.0.0\npaths:\n  /x:\n    get: {}\n", "f")["paths"] == {
        "/x": {"get": {}}
    }


def test_yaml_without_pyyaml_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_yaml(name: str) -> Any:
        raise ImportError(name)

    monkeypatch.setattr("synthcheck.init.openapi.importlib.import_module", no_yaml)
    with pytest.raises(OpenApiError, match="pip install pyyaml"):
        parse_document("openapi: 3.0.0\npaths: {}\n", "api.yaml")


@pytest.mark.parametrize("text", ['{"paths": {}}', '["x"]', '{"openapi": "3"}'])
def test_what_is_not_an_openapi_document_is_refused(text: str) -> None:
    with pytest.raises(OpenApiError, match="not an OpenAPI document"):
        parse_document(text, "f.json")
