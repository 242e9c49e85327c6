"""The OpenAPI schema: who may call each operation, and the error answers every one can give."""

from typing import Any

import drf_spectacular.openapi

from claims.api.permissions import audience_of

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong."}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": 'Each bad field named with its problems, e.g. {"name": ["required"]}; '
    'or {"detail": ...} for a body that is not valid JSON.',
    "additionalProperties": {},
}
ALWAYS = {
    "401": "Not authenticated: no or bad credentials (session, or `Authorization: Token ...`).",
    "403": "Authenticated but not allowed (role too low, or a session request without CSRF).",
    "503": "The database stayed locked (SQLite during a long write): nothing changed; send it "
    "again after Retry-After seconds.",
}
WITH_BODY = {
    "413": "Request body larger than the configured limit (CLAIMS_MAX_REQUEST_BYTES).",
    "415": "Unsupported media type: send application/json.",
}
NOT_FOUND = "Not found, or not a member of the project (outsiders see 404 for everything in it)."


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Document 401/403 everywhere, 404 where something is looked up, 400/413/415 with a body.

    A 4xx documented with a description only gets the JSON shape it has: field errors for 400,
    {"detail": ...} for the others.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ALWAYS.items():
                responses.setdefault(code, json_response(description, ERROR_REF))
            parameters = {p.get("name") for p in operation.get("parameters", [])}
            if "{" in path or "page" in parameters:
                responses.setdefault("404", json_response(NOT_FOUND, ERROR_REF))
            if "page_size" in parameters:
                responses.setdefault("400", json_response("Invalid input", FIELD_ERRORS_SCHEMA))
            if "requestBody" in operation:
                responses.setdefault("400", json_response("Invalid input", FIELD_ERRORS_SCHEMA))
                for code, description in WITH_BODY.items():
                    responses.setdefault(code, json_response(description, ERROR_REF))
            for code, response in responses.items():
                if code[0] in "45" and "content" not in response:
                    schema = FIELD_ERRORS_SCHEMA if code == "400" else ERROR_REF
                    response["content"] = {"application/json": {"schema": schema}}
    return result


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """Say in each operation who may call it, as its permission classes declare it."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        audience = audience_of(self.view)
        if operation is not None and audience:
            who = "; ".join(audience)
            operation["description"] = (
                f"{operation.get('description', '')}\n\n**Who may call it:** {who}.".strip()
            )
            operation["x-permissions"] = audience
        return operation
