"""Reading a request's body within a size limit: a body past the limit is
refused (413) without being read to its end."""

from __future__ import annotations

from starlette.requests import Request

from . import checks
from .checks import RequestError


async def body_of(request: Request, limit=checks.MAX_BODY) -> bytes:
    """The request body, refused past ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise RequestError(f"request body over {limit} bytes", 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(f"request body over {limit} bytes", 413)
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request):
    return checks.parse_json(await body_of(request))
