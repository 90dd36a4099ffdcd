"""The public REST API under /api/v1 (django-ninja). OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AuthRateThrottle

from chorus.api.auth import TokenAuth
from chorus.api.routers import workspaces

api = NinjaAPI(
    title="Chorus API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[AuthRateThrottle("600/m")],
    docs_url="/docs",
    # Served from django-ninja's own static files (ninja is an installed app), and no call to
    # the public Swagger validator: the docs work on a server with no way out.
    docs=Swagger(settings={"validatorUrl": None}),
)


# Where a field came from is not part of its name: errors read "offset", not "query.offset".
_PARTS = ("body", "payload", "query", "path")


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in _PARTS]
        errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return errors


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = {"detail": "The request has invalid fields.", "errors": _field_errors(exc)}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"detail": "Missing or invalid API token. Send 'Authorization: Bearer <token>'."}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/", workspaces.router)
api.add_router("/", "chorus.api.routers.posts.router")
api.add_router("/", "chorus.api.routers.listening_queries.router")
api.add_router("/", "chorus.api.listening_mentions.router")
api.add_router("/", "chorus.api.routers.contests.router")
