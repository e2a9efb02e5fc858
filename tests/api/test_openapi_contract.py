"""The OpenAPI document says, for every operation, who may call it and how it refuses: roles in
`x-roles` and the description, a summary of what it does, the refusals the server sends with
their schemas, If-Match explained, and an example of every request body."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.openapi_contract import api_routes, request_models
from domain.people import ROLES
from ecpsc.settings import Settings
from tests.api.conftest import API, UserMaker, bearer
from tests.conftest import ADMIN_TOKEN, TODAY

COMMANDS = {"post", "put", "patch", "delete"}
REFUSAL = "#/components/schemas/Refusal"


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    """/openapi.json as a client reads it (no store is needed to serve it)."""
    client = TestClient(create_app(Settings(admin_token=ADMIN_TOKEN, today=TODAY)))
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_docs_show_this_document() -> None:
    """Given the app, when /docs is opened, then it is the interactive page of /openapi.json,
    and the document's introduction explains roles, refusals and If-Match."""
    client = TestClient(create_app(Settings(admin_token=ADMIN_TOKEN, today=TODAY)))
    page = client.get("/docs")
    assert page.status_code == 200
    # Swagger UI starts from a static script (the pages' CSP admits no inline script)
    assert "/static/docs.js" in page.text
    assert "/openapi.json" in client.get("/static/docs.js").text
    intro = client.get("/openapi.json").json()["info"]["description"]
    for heading in ("## 角色 / Roles", "## 拒绝 / Refusals", "## If-Match"):
        assert heading in intro


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (METHOD, path, operation) of the document."""
    return [
        (method.upper(), path, operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]


def _default_summary(operation: dict[str, Any]) -> str:
    """What FastAPI would say by itself: the handler's name, title-cased ("Receive", "Show")."""
    name = operation["operationId"].split("_api_v1_")[0].split("__")[0]
    return name.replace("_", " ").title()


def test_every_operation_names_its_roles(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every operation has `x-roles`: `public` exactly when it needs no token, else `staff`
    or known roles (admin among them); and its description names the same roles."""
    known = {*ROLES, "staff", "public"}
    for method, path, operation in operations(openapi):
        roles = operation.get("x-roles")
        assert roles, f"{method} {path} has no x-roles"
        assert set(roles) <= known, (method, path, roles)
        public = not operation.get("security")
        assert (roles == ["public"]) == public, (method, path, roles)
        if set(roles) - {"staff", "public"}:
            assert "admin" in roles, (method, path, roles)
        assert "Roles:" in operation["description"], (method, path)
        for role in roles:
            assert f"`{role}`" in operation["description"] or role == "public", (method, path)


def test_every_summary_says_what_the_operation_does(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then no summary is the handler's bare name; each has Chinese and an English phrase."""
    for method, path, operation in operations(openapi):
        summary = operation.get("summary", "")
        where = f"{method} {path}: give it a line in api/openapi_contract.py SUMMARIES"
        assert summary != _default_summary(operation), (where, summary)
        assert re.search(r"[\u4e00-\u9fff]", summary), (where, summary)
        english = summary.split("/", 1)[-1]
        assert len(english.split()) >= 3, (where, summary)


def test_authenticated_operations_declare_401_and_403(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every operation that needs a token declares 401 and 403, and says why in each."""
    for method, path, operation in operations(openapi):
        if not operation.get("security"):
            continue
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path, sorted(responses))
        assert "token" in responses["401"]["description"], (method, path)


def test_every_command_declares_409_with_the_refusal_schema(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every POST/PUT/PATCH/DELETE declares 409 whose body is {code, message, clause}."""
    schema = openapi["components"]["schemas"]["Refusal"]
    assert set(schema["required"]) == {"code", "message", "clause"}
    assert set(schema["properties"]) >= {"code", "message", "clause"}
    commands = 0
    for method, path, operation in operations(openapi):
        if method.lower() not in COMMANDS:
            continue
        commands += 1
        conflict = operation["responses"].get("409")
        assert conflict is not None, f"{method} {path} declares no 409"
        assert conflict["content"]["application/json"]["schema"] == {"$ref": REFUSAL}
    assert commands > 30


def test_every_operation_with_input_declares_422(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every operation taking parameters or a body declares 422 with FastAPI's schema,
    and one carrying a body declares 400 and 413 too."""
    for method, path, operation in operations(openapi):
        responses = operation["responses"]
        if operation.get("parameters") or operation.get("requestBody"):
            unprocessable = responses.get("422")
            assert unprocessable is not None, f"{method} {path} declares no 422"
            assert unprocessable["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/HTTPValidationError"
            }
        if operation.get("requestBody"):
            assert {"400", "413"} <= set(responses), (method, path, sorted(responses))


def test_operations_on_a_path_id_declare_404(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then an operation that looks a record up by a path id declares 404."""
    for method, path, operation in operations(openapi):
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            assert "404" in operation["responses"], (method, path)


def test_api_operations_declare_503_store_unavailable(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every /api/v1 operation declares 503 with Retry-After (the store may be down)."""
    for method, path, operation in operations(openapi):
        if not path.startswith(API):
            continue
        unavailable = operation["responses"].get("503")
        assert unavailable is not None, f"{method} {path} declares no 503"
        assert "store_unavailable" in unavailable["description"]
        assert "Retry-After" in unavailable["headers"]


def test_every_request_body_has_an_example(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every request body shows an example."""
    bodies = 0
    for method, path, operation in operations(openapi):
        body = operation.get("requestBody")
        if body is None:
            continue
        for media_type, media in body["content"].items():
            bodies += 1
            assert "example" in media or "examples" in media, (
                f"{method} {path} ({media_type}): give its model an example "
                "(model_config = ConfigDict(json_schema_extra={'examples': [...]}))"
            )
    assert bodies > 30


def test_request_examples_are_valid_bodies(openapi: dict[str, Any]) -> None:
    """Given /openapi.json's JSON request examples,
    when each is validated against its own body schema (as FastAPI would),
    then none is malformed: an example that is refused with 422 teaches nothing."""
    app = create_app(Settings(admin_token=ADMIN_TOKEN, today=TODAY))
    models = _body_models(app)
    for method, path, operation in operations(openapi):
        media = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if media is None:
            continue
        model = models[f"{method} {path}"]
        model.model_validate(media["example"])


def test_if_match_is_explained(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every If-Match header is described (optimistic concurrency, 409 version_conflict),
    and an operation taking it says so in its 409."""
    seen = 0
    for method, path, operation in operations(openapi):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "header" and parameter["name"] == "If-Match":
                seen += 1
                assert "version_conflict" in parameter["description"], (method, path)
                assert "version_conflict" in operation["responses"]["409"]["description"]
    assert seen > 20


def test_every_field_of_a_request_body_is_described(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every field of every JSON request body has a description."""
    schemas = openapi["components"]["schemas"]
    missing = []
    for name in request_models(openapi):
        for field, schema in schemas[name].get("properties", {}).items():
            if "description" not in schema:
                missing.append(f"{name}.{field}")
    assert not missing, f"describe these request fields, citing their clause: {missing}"


def test_every_field_of_every_schema_is_described(openapi: dict[str, Any]) -> None:
    """Given /openapi.json,
    then every field of every schema, answers included, has a description."""
    schemas = openapi["components"]["schemas"]
    missing = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, prop in schema.get("properties", {}).items()
        if "description" not in prop
    ]
    assert not missing, (
        "describe these fields in their model, or in api/openapi_glossary.py for answers: "
        f"{missing}"
    )


def test_x_roles_are_what_the_server_enforces(
    openapi: dict[str, Any], client: TestClient, make_user: UserMaker
) -> None:
    """Given a user holding one role,
    when they call every operation (with placeholder ids and no body),
    then each operation whose x-roles leave that role out answers 403, and one whose x-roles
    include it (or `staff`) never does."""
    for role in ("intake", "compliance_officer"):
        headers = bearer(make_user(role)["token"])
        for method, path, operation in operations(openapi):
            if "public" in operation["x-roles"] or not path.startswith(API):
                continue
            url = re.sub(r"\{[^}]+\}", _placeholder, path)
            response = client.request(method, url, headers=headers)
            admitted = role in operation["x-roles"] or "staff" in operation["x-roles"]
            assert (response.status_code == 403) != admitted, (
                role,
                method,
                path,
                response.status_code,
                response.text[:300],
            )


def _placeholder(match: re.Match[str]) -> str:
    name = match.group(0)[1:-1]
    if name == "sha256":
        return "0" * 64
    if name == "uscc":
        return "91350100M000100Y43"
    if name == "month":
        return "2026-10"
    if name in {"number", "row_key"}:
        return "ECPSC-2026-0001"
    return "00000000-0000-4000-8000-000000000000"


def _body_models(app: Any) -> dict[str, Any]:
    """Each operation's pydantic body model, by `METHOD /path`."""
    models: dict[str, Any] = {}
    for path, route in api_routes(app.routes):
        if route.body_field is None:
            continue
        for method in route.methods:
            models[f"{method} {path}"] = route.body_field.field_info.annotation
    return models
