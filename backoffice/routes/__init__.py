"""The versioned API (/v1): one module per resource."""

from fastapi import APIRouter, Security
from fastapi.security import APIKeyHeader

from backoffice.middleware import API_KEY_HEADER
from backoffice.routes import customers, outages, requests, tariffs
from backoffice.routes import sandbox as sandbox_routes
from backoffice.schemas import ErrorOut

# Enforced by middleware.ApiKeyMiddleware for every /v1 path; declared here for the OpenAPI document.
_api_key_scheme = APIKeyHeader(name=API_KEY_HEADER, auto_error=False,
                               description="the key given by BACKOFFICE_API_KEY")


def _documented_api_key(_key: str | None = Security(_api_key_scheme)) -> None:
    return None


def v1_router(sandbox: bool = False) -> APIRouter:
    """Every /v1 endpoint; with ``sandbox``, also the sandbox-only ones (absent otherwise: 404)."""
    router = APIRouter(
        prefix="/v1",
        dependencies=[Security(_documented_api_key)],
        responses={
            401: {"model": ErrorOut, "description": "missing or wrong X-API-Key"},
            422: {"model": ErrorOut, "description": "invalid input; the message names the field"},
        },
    )
    for module in (customers, outages, requests, tariffs) + ((sandbox_routes,) if sandbox else ()):
        router.include_router(module.router)
    return router
