"""The OpenAPI document says who may call each operation and how it refuses.

FastAPI's generated document knows the paths, parameters and bodies; this module adds what the
routes know only through their dependencies and the error handlers (api/errors.py): the roles a
route requires (`require(...)` in api/deps.py), whether it needs a token at all, the If-Match
header, and every refusal the server sends. It is derived from the routes themselves, so a new
route is documented the same way; only its summary, Chinese first, goes in SUMMARIES below.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from api.deps import current_actor, expected_version, get_services
from api.openapi_glossary import describe_fields

ANY_STAFF = "staff"
"""`x-roles` of an operation any signed-in staff user may call."""
PUBLIC = "public"
"""`x-roles` of an operation that needs no token."""
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ROLE_NAMES = {
    "admin": "管理员",
    "intake": "受理",
    "planner": "审核策划",
    "auditor": "审核员",
    "decision_maker": "认证决定",
    "appeals_officer": "申诉投诉处理",
    "compliance_officer": "合规",
}

REFUSAL: dict[str, Any] = {
    "title": "Refusal",
    "type": "object",
    "description": (
        "拒绝：规则编号与条款 / a refusal: a snake_case `code`, a sentence (Chinese first) and "
        "the ZPIC-WF-20 clause that refuses; nothing was recorded. Some refusals add fields "
        "that name what they concern (e.g. the allowed window)."
    ),
    "properties": {
        "code": {"type": "string", "examples": ["version_conflict"]},
        "message": {
            "type": "string",
            "examples": [
                "记录已被同时修改，请刷新后重试 / the record was changed concurrently; "
                "reload and retry"
            ],
        },
        "clause": {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "examples": ["ZPIC-WF-20 10.1"],
        },
    },
    "required": ["code", "message", "clause"],
}
ERROR_DETAIL: dict[str, Any] = {
    "title": "ErrorDetail",
    "type": "object",
    "description": "HTTP 层的拒绝 / a refusal of the HTTP layer, as a sentence",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_REFUSAL_REF = {"$ref": "#/components/schemas/Refusal"}
_EITHER = {"anyOf": [_REFUSAL_REF, {"$ref": "#/components/schemas/ErrorDetail"}]}

IF_MATCH_DESCRIPTION = (
    "乐观并发控制 / optimistic concurrency: the `version` (or `ETag`) of the record as you last "
    "read it. When the record has changed since, the command is refused with 409 "
    "`version_conflict` (ZPIC-WF-20 10.1) and nothing is recorded: read it again and retry. "
    "Leave it out (or send `*`) to act on whatever version is current."
)

CONVENTIONS = """

## 角色 / Roles
Each operation names the roles that may call it, in its description and in `x-roles`:
`public` needs no token; `staff` is any signed-in staff user; otherwise one of the named roles
(`admin` holds every role). Send `Authorization: Bearer <token>`.

## 拒绝 / Refusals
`401` no token, or an unknown or revoked one · `403` the user's roles do not allow it (or an
auditor not on the audit's team) · `404` an unknown id · `409` the rules or the record's current
state forbid it, as `{code, message, clause}` (schema `Refusal`) — nothing is recorded · `413` a
body too large · `422` malformed input, naming the field · `503 store_unavailable` the event store
cannot be reached for now (retry after `Retry-After` seconds).

## If-Match
Every resource answer carries its `version` (and an `ETag`); a command may send
`If-Match: <version>` and is refused `409 version_conflict` when the record changed since.
"""

_SUMMARY_TABLE = """
GET /metrics
    Prometheus 指标 / Prometheus metrics of requests, commands and lag
GET /healthz
    存活检查 / Liveness: the process answers
GET /readyz
    就绪检查 / Readiness: store and broker answer, read-model lag
POST /api/v1/users
    登记员工 / Register a staff member with roles and a token
GET /api/v1/users/me
    当前用户 / The user behind the token
GET /api/v1/users/{user_id}
    查看员工 / Read a staff member
POST /api/v1/users/{user_id}/tokens
    签发令牌 / Issue another token to a staff member
POST /api/v1/users/{user_id}/password
    设置登录密码 / Set a staff member's sign-in password
POST /api/v1/users/{user_id}/tokens/{token_id}/revocation
    吊销令牌 / Revoke one of a staff member's tokens (11)
POST /api/v1/users/{user_id}/deactivation
    停用员工 / Deactivate a staff member: every token and session stops at once (11)
POST /api/v1/documents
    上传文件 / Upload a document, stored by its SHA-256
GET /api/v1/documents/{sha256}
    下载文件 / Download a document's checked bytes
GET /api/v1/documents/{sha256}/record
    文件记录 / Read what is recorded of a document
POST /api/v1/documents/{sha256}/original
    标记原件扫描件 / Mark a document as an original's scan
POST /api/v1/watchlist
    记录失信名单 / Record an organization's listing by an authority
POST /api/v1/watchlist/{uscc}/delisting
    记录移出名单 / Record an organization's delisting
GET /api/v1/watchlist/{uscc}
    查询名单状态 / Check whether an organization is listed
POST /api/v1/applications
    提交认证申请 / Submit a certification application (4.1.1)
GET /api/v1/applications
    申请列表 / List applications by status, newest first
GET /api/v1/applications/{application_id}
    查看申请 / Read one application
POST /api/v1/applications/{application_id}/review
    申请评审 / Record an application's review (4.1.3)
POST /api/v1/applications/{application_id}/supplements
    补充材料 / Record supplementary materials (4.1.3)
POST /api/v1/applications/{application_id}/contract
    签订合同 / Record the certification contract (4.1.4)
GET /api/v1/audit-time
    审核时间计算 / Calculate required audit time and sample size (4.2)
POST /api/v1/audits
    策划审核 / Plan an audit (4.2)
GET /api/v1/audits/{audit_id}
    查看审核 / Read an audit with its records and score
POST /api/v1/audits/{audit_id}/findings
    记录审核发现 / Record a finding against a clause (4.4.2.3)
POST /api/v1/audits/{audit_id}/findings/{number}/approval
    批准见习审核员的发现 / Approve a trainee's finding (4.2.3)
POST /api/v1/audits/{audit_id}/exclusions
    删减指标 / Exclude a goods-service indicator (4.4.2.2)
POST /api/v1/audits/{audit_id}/special-deductions
    特殊扣分 / Record a special deduction (4.4.2.3)
POST /api/v1/audits/{audit_id}/special-bonus
    特殊加分 / Record the special bonus (4.4.2.3)
POST /api/v1/audits/{audit_id}/complete
    完成审核 / Complete an audit; its score is fixed
GET /api/v1/audits/{audit_id}/report
    评价报告 / Generate an audit's evaluation report (4.5)
GET /api/v1/corrective-actions/{action_id}
    查看纠正措施 / Read a corrective action
POST /api/v1/corrective-actions/{action_id}/close
    关闭纠正措施 / Close a verified corrective action
POST /api/v1/decisions
    认证决定 / Decide: grant, refuse or follow up (4.6, 5.6)
GET /api/v1/decisions/{decision_id}
    查看认证决定 / Read a decision
GET /api/v1/decisions/{decision_id}/notice
    不予认证通知书 / Print a refusal's written notice (4.6.3)
GET /api/v1/certificates/{number}
    查看证书 / Read a certificate with its schedule
GET /api/v1/certificates/{number}/document
    证书打印件 / Print a certificate (8.1.1)
GET /api/v1/certificates/{number}/suspension-notice
    暂停通知书 / Print the notice of the latest suspension, dated its effect (7.2)
GET /api/v1/certificates/{number}/withdrawal-notice
    撤销通知书 / Print the notice of the withdrawal, dated its effect (7.3)
POST /api/v1/certificates/{number}/suspension
    暂停证书 / Suspend a certificate (7.2)
POST /api/v1/certificates/{number}/suspension/extension
    延长暂停 / Extend a suspension (7.2.2)
POST /api/v1/certificates/{number}/reinstatement
    恢复证书 / Reinstate a suspended certificate (7.2)
POST /api/v1/certificates/{number}/withdrawal
    撤销证书 / Withdraw a certificate (7.3)
POST /api/v1/certificates/{number}/recovery
    收回证书 / Record a withdrawn certificate's recovery (7.3.2)
POST /api/v1/certificates/{number}/rescission
    撤回期限作业的处理 / Rescind a deadline job's action a late entry contradicts (§12)
PUT /api/v1/calendar/{year}
    载入年度放假安排 / Load the State Council's holiday notice for a year (7.2.1, §12)
GET /api/v1/calendar/{year}
    查看官方日历 / Read a year's days off and make-up working days, with their source
GET /api/v1/register/certificates
    查询证书登记册 / Search the public register
GET /api/v1/register/certificates/{number}
    查询一张证书 / Look up one certificate on the register
GET /api/v1/register/changes
    登记册变更 / Follow the register's changes after a cursor
GET /api/v1/register/notices
    撤销公告 / List public notices of unrecovered withdrawals (7.3.2)
GET /api/v1/regulator/notifications
    报送队列 / List certificate changes queued for the regulator
GET /api/v1/regulator/reports/{month}
    月度报送表 / Download a month's regulator workbook
POST /api/v1/regulator/reports/{month}/submission
    记录月度报送 / Record a month's submission to the regulator
GET /api/v1/regulator/reports/{month}/submission
    查看月度报送 / Read a month's recorded submission
POST /api/v1/sweeps
    运行期限任务 / Run the deadline jobs as of a day
GET /api/v1/compliance/exceptions
    超期变更 / List status changes made after the 5-working-day limit
POST /api/v1/appeals
    受理申诉或投诉 / Receive an appeal or complaint (9)
GET /api/v1/appeals
    申诉投诉队列 / List open cases, most urgent first
GET /api/v1/appeals/{appeal_id}
    查看申诉投诉 / Read a case with its course
POST /api/v1/appeals/{appeal_id}/acknowledgement
    确认收到 / Acknowledge receipt to the appellant
POST /api/v1/appeals/{appeal_id}/assignment
    指派处理人 / Assign impartial handlers to a case
POST /api/v1/appeals/{appeal_id}/notes
    调查记录 / Record an investigation note
POST /api/v1/appeals/{appeal_id}/resolution
    处理结论 / Resolve a case
POST /api/v1/appeals/{appeal_id}/notice-sent
    书面通知已送达 / Record the written notice sent; the case closes
POST /api/v1/appeals/{appeal_id}/escalation
    记录上诉 / Record an escalation to the regulator (9.3)
GET /api/v1/appeals/{appeal_id}/notice
    书面通知 / Print a resolved case's written notice
GET /api/v1/organizations/{uscc}/history
    组织历史 / Read every event about an organization
GET /api/v1/organizations/{uscc}/records
    组织记录 / Read an organization's records as of a moment
GET /api/v1/integrity
    完整性状态 / Read the hash chain's head and last verification
POST /api/v1/integrity/verification
    验证哈希链 / Verify the event log's hash chain now
GET /api/v1/retention
    保存期限 / List records' retention and disposal eligibility (10.2)
POST /api/v1/holds
    法律保全 / Place a legal hold on an organization's records
POST /api/v1/holds/{hold_id}/release
    解除保全 / Release a legal hold
POST /api/v1/retention/{row_key}/disposal
    销毁记录 / Dispose of an eligible row's records (10.2)
GET /verify/{number}
    证书验证页 / The public verification page of a certificate
GET /register
    公开查询页 / Search the register by name, USCC, certificate number or scope words
GET /api/v1/integrity/checkpoints/latest
    最新签名检查点 / The last signed checkpoint of the event log (public)
GET /api/v1/integrity/checkpoints
    签名检查点列表 / Signed checkpoints after a position, oldest first (public)
POST /api/v1/integrity/checkpoints
    立即签署检查点 / Sign a checkpoint of the event log now
GET /.well-known/ecpsc-signing-key
    本机构签名公钥 / The certification body's public signing key (Ed25519) and earlier keys
"""
SUMMARIES: dict[str, str] = dict(
    zip(
        _SUMMARY_TABLE.strip().splitlines()[0::2],
        (line.strip() for line in _SUMMARY_TABLE.strip().splitlines()[1::2]),
        strict=True,
    )
)
"""What each operation does, Chinese first; an operation missing here is summarised by its
docstring's first sentence."""

READ_REFUSALS: dict[str, str] = {
    "GET /api/v1/appeals/{appeal_id}/notice": "`appeal_not_resolved`：尚未作出处理结论 / "
    "the case is not resolved yet (9.2)",
    "GET /api/v1/decisions/{decision_id}/notice": "`not_a_refusal`：该决定不是不予认证 / "
    "the decision is not a refusal (4.6.3)",
}
"""Reads that can be refused with 409 (commands always can)."""

BODY_EXAMPLES: dict[str, dict[str, Any]] = {
    "POST /api/v1/documents": {"file": "(the bytes of application-form.pdf)"},
}
"""Examples of request bodies that have no pydantic model to carry them (multipart uploads)."""

OWN_RESPONSES: dict[str, dict[str, Any]] = {
    "GET /readyz": {
        "503": {
            "description": "未就绪 / not ready: the event store or the broker cannot be reached",
            "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}},
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "status": {"const": "unavailable"},
                            "store": {"type": "string"},
                            "broker": {"type": "string"},
                        },
                        "required": ["status"],
                    }
                }
            },
        }
    },
}
"""Refusals an operation sends in its own shape (beside those derived from its dependencies)."""


@dataclass(frozen=True)
class Access:
    """Who may call an operation, as its dependencies say."""

    authenticated: bool
    roles: tuple[str, ...]
    if_match: bool
    uses_store: bool

    @property
    def x_roles(self) -> list[str]:
        """The `x-roles` extension: public, staff, or the admitted roles (admin included)."""
        if not self.authenticated:
            return [PUBLIC]
        if not self.roles:
            return [ANY_STAFF]
        return sorted({*self.roles, "admin"}, key=lambda role: (role == "admin", role))


def install_openapi_contract(app: FastAPI) -> None:
    """Have `app.openapi()` (and so /openapi.json and /docs) document roles and refusals."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            document(schema, dict(operations(app.routes)))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def operations(routes: list[BaseRoute]) -> Iterator[tuple[str, Access]]:
    """Each documented operation's `METHOD /path` with who may call it."""
    for path, route in api_routes(routes):
        if not route.include_in_schema:
            continue
        access = access_of(route.dependant)
        for method in sorted(route.methods or ()):
            yield f"{method} {path}", access


def api_routes(routes: list[BaseRoute]) -> Iterator[tuple[str, APIRoute]]:
    """Each API route with its full path (its routers' prefixes included)."""
    try:  # FastAPI ≥ 0.130 keeps included routers as they are and resolves them lazily
        from fastapi.routing import iter_route_contexts
    except ImportError:
        for route in routes:
            if isinstance(route, APIRoute):
                yield route.path_format, route
        return
    for context in iter_route_contexts(routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path_format is not None:
            yield context.path_format, route


def access_of(dependant: Dependant) -> Access:
    """The token, roles, If-Match and store a route's dependencies require."""
    calls = list(_calls(dependant))
    roles: list[str] = []
    for call in calls:
        roles.extend(_required_roles(call))
    return Access(
        authenticated=current_actor in calls,
        roles=tuple(dict.fromkeys(roles)),
        if_match=expected_version in calls,
        uses_store=get_services in calls,
    )


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _required_roles(call: Callable[..., Any]) -> tuple[str, ...]:
    """The roles a `require(...)` check admits (read from its closure), else none."""
    if getattr(call, "__qualname__", "") != "require.<locals>.check":
        return ()
    roles = inspect.getclosurevars(call).nonlocals["roles"]
    return tuple(str(role) for role in roles)


def document(schema: dict[str, Any], accesses: dict[str, Access]) -> None:
    """Add roles, summaries, refusals, If-Match and body examples to a generated schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Refusal"] = REFUSAL
    components["ErrorDetail"] = ERROR_DETAIL
    schema["info"]["description"] = schema["info"].get("description", "") + CONVENTIONS
    describe_fields(components, skip=request_models(schema))
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            key = f"{method.upper()} {path}"
            access = accesses.get(key)
            if access is None:
                continue
            _describe(key, operation, access, components)


def request_models(schema: dict[str, Any]) -> set[str]:
    """The component names of JSON request bodies and of the models they nest."""
    components = schema.get("components", {}).get("schemas", {})
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.rsplit("/", 1)[-1] not in found:
                found.add(ref.rsplit("/", 1)[-1])
                walk(components.get(ref.rsplit("/", 1)[-1]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                walk(content["application/json"].get("schema"))
    return found


def _describe(
    key: str, operation: dict[str, Any], access: Access, components: dict[str, Any]
) -> None:
    method, path = key.split(" ", 1)
    command = method in COMMAND_METHODS
    docstring = operation.get("description", "")
    operation["summary"] = (
        SUMMARIES.get(key) or _first_sentence(docstring) or operation.get("summary", "")
    )
    operation["x-roles"] = access.x_roles
    responses: dict[str, Any] = operation.setdefault("responses", {})
    refusals: list[tuple[str, str, dict[str, Any] | None]] = []
    has_body = "requestBody" in operation
    parameters = operation.get("parameters", [])
    path_ids = [p["name"] for p in parameters if p.get("in") == "path"]
    names_records = command and _names_records(operation, components)
    if has_body:
        refusals.append(
            (
                "400",
                "请求体无法解析 / the body cannot be parsed (not valid JSON or multipart)",
                _EITHER,
            )
        )
    if access.authenticated:
        refusals.append(
            ("401", "缺少或未知的令牌 / no bearer token, or an unknown or revoked one", _EITHER)
        )
        refusals.append(("403", _forbidden(access), _EITHER))
    if path_ids or names_records:
        refusals.append(("404", _not_found(path_ids, names_records), _EITHER))
    if command or key in READ_REFUSALS:
        refusals.append(("409", _conflict(key, access), _REFUSAL_REF))
    if has_body:
        refusals.append(("413", "请求体过大 / the body is too large", _EITHER))
    if parameters or has_body:
        refusals.append(("422", "输入格式错误，指出字段 / malformed input, naming the field", None))
    if access.uses_store:
        refusals.append(("503", _UNAVAILABLE, _REFUSAL_REF))
    for status, description, body in refusals:
        response = responses.setdefault(status, {})
        if status == "422" and "content" in response:
            response["description"] = description
            continue
        response["description"] = description
        content: dict[str, Any] = {"application/json": {"schema": body}} if body else {}
        if status == "404" and path.startswith("/verify/"):
            content["text/html"] = {"schema": {"type": "string"}}
        if status == "503":
            if not path.startswith("/api/"):
                content["text/html"] = {"schema": {"type": "string"}}
            response["headers"] = {"Retry-After": _RETRY_AFTER}
        if status == "401":
            response["headers"] = {"WWW-Authenticate": _WWW_AUTHENTICATE}
        if content:
            response["content"] = content
        elif status == "422":
            response["content"] = {
                "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
            }
            components.setdefault("HTTPValidationError", _validation_error_schema(components))
    for status, response in OWN_RESPONSES.get(key, {}).items():
        responses.setdefault(status, copy.deepcopy(response))
    operation["responses"] = dict(sorted(responses.items()))
    if access.if_match:
        for parameter in parameters:
            if parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match":
                parameter["description"] = IF_MATCH_DESCRIPTION
                parameter["example"] = '"3"'
    _example_body(key, operation, components)
    operation["description"] = _description(docstring, access, sorted(responses), operation)


_UNAVAILABLE = (
    "`store_unavailable`：事件存储暂时无法访问，请稍后重试 / the event store cannot be reached "
    "for now; retry after `Retry-After` seconds"
)
_RETRY_AFTER = {"description": "seconds to wait before retrying", "schema": {"type": "integer"}}
_WWW_AUTHENTICATE = {"description": "`Bearer`", "schema": {"type": "string"}}

REFUSAL_WORDS = {
    "400": "请求体无法解析 / unparsable body",
    "401": "未登录 / no or unknown token",
    "403": "角色不允许 / role not allowed",
    "404": "不存在 / not found",
    "409": "规则拒绝 / refused by the rules",
    "413": "请求体过大 / body too large",
    "422": "输入格式错误 / malformed input",
    "503": "存储不可用 / store unavailable",
}


def _forbidden(access: Access) -> str:
    if not access.roles:
        return "拒绝 / refused: the user may not act here (any staff role may call this operation)"
    names = " / ".join(f"{ROLE_NAMES.get(role, role)} `{role}`" for role in access.x_roles)
    return f"角色不允许 / the user holds none of the roles: {names}"


def _not_found(path_ids: list[str], names_records: bool) -> str:
    named = ", ".join(f"`{name}`" for name in path_ids)
    if named and names_records:
        return f"记录不存在 / no record with this {named}, or a record the body names is unknown"
    if named:
        return f"记录不存在 / no record with this {named}"
    return "记录不存在 / a record the body names is unknown"


def _names_records(operation: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether the request body names records by id (an unknown one is 404)."""
    seen: set[str] = set()

    def names(schema: Any) -> bool:
        if isinstance(schema, list):
            return any(names(item) for item in schema)
        if not isinstance(schema, dict):
            return False
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                return False
            seen.add(name)
            return names(components.get(name))
        properties = schema.get("properties", {})
        if any(key.endswith(("_id", "_ids")) or key == "certificate_number" for key in properties):
            return True
        return any(names(schema.get(key)) for key in ("items", "anyOf", "oneOf", "allOf")) or names(
            list(properties.values())
        )

    content = operation.get("requestBody", {}).get("content", {})
    return any(names(media.get("schema")) for media in content.values())


def _conflict(key: str, access: Access) -> str:
    text = READ_REFUSALS.get(
        key, "规则或记录的当前状态不允许 / the rules or the record's current state forbid it"
    )
    if access.if_match:
        text += "; `version_conflict` when `If-Match` names a version that is no longer current"
    return text + " (nothing is recorded)"


def _description(
    docstring: str, access: Access, statuses: list[str], operation: dict[str, Any]
) -> str:
    if not access.authenticated:
        who = "公开，无需令牌 / public: no token needed"
    elif not access.roles:
        who = "任何已登录员工 / any signed-in staff user (`staff`)"
    else:
        who = (
            " / ".join(f"{ROLE_NAMES.get(role, role)} `{role}`" for role in access.x_roles)
            + "（管理员拥有全部角色 / admin holds every role）"
        )
    refusals = [
        f"`{status}` {REFUSAL_WORDS[status]}" for status in statuses if status in REFUSAL_WORDS
    ]
    lines = [docstring.strip(), "", f"**角色 / Roles:** {who}"]
    if refusals:
        lines.append("")
        lines.append("**拒绝 / Refusals:** " + " · ".join(refusals))
    if access.if_match:
        lines.append("")
        lines.append(
            "**If-Match:** send the `version` you read; a stale one is refused "
            "`409 version_conflict`."
        )
    return "\n".join(lines).strip()


def _first_sentence(docstring: str) -> str:
    line = " ".join(docstring.split())
    for stop in (". ", "; ", ": "):
        line = line.split(stop, 1)[0]
    return line.rstrip(".")


def _example_body(key: str, operation: dict[str, Any], components: dict[str, Any]) -> None:
    """Show the body's model example (or this module's) on the request body itself."""
    body = operation.get("requestBody")
    if body is None:
        return
    for media in body.get("content", {}).values():
        if "example" in media or "examples" in media:
            continue
        example = BODY_EXAMPLES.get(key)
        ref = media.get("schema", {}).get("$ref", "")
        model = components.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
        if example is None and model.get("examples"):
            example = model["examples"][0]
        if example is not None:
            media["example"] = copy.deepcopy(example)


def _validation_error_schema(components: dict[str, Any]) -> dict[str, Any]:
    components.setdefault(
        "ValidationError",
        {
            "title": "ValidationError",
            "type": "object",
            "properties": {
                "loc": {
                    "type": "array",
                    "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                },
                "msg": {"type": "string"},
                "type": {"type": "string"},
            },
            "required": ["loc", "msg", "type"],
        },
    )
    return {
        "title": "HTTPValidationError",
        "type": "object",
        "properties": {
            "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}
        },
    }
