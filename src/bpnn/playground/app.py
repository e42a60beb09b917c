"""The playground's web app: one page, its static files and a JSON API.

Endpoints (every answer JSON unless said; every refusal ``{"error": "..."}``
with a 4xx status):

- ``GET /``: the page; ``GET /static/...``: its scripts and styles.
- ``GET /api/labels``: the trace's names in English and Chinese
  (``bpnn.explain.text``'s tables).
- ``POST /api/trace``: ``{"network": "exercise"}``, ``{"network": "random",
  "sizes": "3,4,2,1", "batch": 2, "seed": 7, ...}`` or ``{"network":
  "spec", "spec": {...}}`` -> the spec and its trace (``Trace.to_dict()``).
- ``POST /api/check``: a spec and ``answers`` {step key: typed value} ->
  right or wrong for each, a hint for the first wrong one.
- ``GET /api/datasets``: the data sets the training view offers.
- ``POST /api/uploads``: a CSV file as the body -> its id and columns.
- ``POST /api/sessions``: data and hyper-parameters -> a training session.
- ``POST /api/sessions/{id}/{play|pause|step|reset}``, ``DELETE
  /api/sessions/{id}``.
- ``GET /api/sessions/{id}/state?after=V``: the latest snapshot (newer than
  version V, waiting up to 10 s for one); ``GET /api/sessions/{id}/events``:
  the snapshots as server-sent events, at most ~10 a second (``?max=N``:
  only the first N).
- ``GET /api/sessions/{id}/model.npz`` and ``.../history.csv``: downloads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from importlib import resources

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import BpnnError
from . import data, step_routes, train_routes
from .guard import Guard, Served
from .registry import Sessions

log = logging.getLogger("bpnn.playground")
STATIC = resources.files(__package__).joinpath("static")


def index(request):
    html = STATIC.joinpath("index.html").read_text(encoding="utf-8")
    lang = request.app.state.lang
    html = html.replace('<html lang="en"', f'<html lang="{lang}"', 1)
    return Response(html, media_type="text/html; charset=utf-8")


def labels(request):
    from ..explain import text as trace_text

    return JSONResponse(
        {
            "labels": trace_text.LABELS,
            "stages": trace_text.STAGES,
            "header": trace_text.HEADER,
            "learning_rate": trace_text.LEARNING_RATE,
        }
    )


async def refused(request, err):
    """A BpnnError (bad input of any kind): 400, or the RequestError's status."""
    message = str(err).splitlines()[0] if str(err) else "bad request"
    return JSONResponse({"error": message}, getattr(err, "status", 400))


async def http_error(request, err):
    return JSONResponse({"error": err.detail}, err.status_code)


async def crashed(request, err):
    log.exception("playground: %s %s failed", request.method, request.url.path)
    return JSONResponse({"error": f"internal error: {type(err).__name__}"}, 500)


async def sweeper(app, every=5.0):
    """Close abandoned sessions now and then."""
    while True:
        await asyncio.sleep(every)
        await run_in_threadpool(app.state.sessions.sweep)


def create_app(host="127.0.0.1", port=None, lang="en", idle_s=60.0, max_sessions=8):
    """The playground as an ASGI app, answering only ``host`` and ``port``
    (``app.state.served.port``, which the server sets once it has bound a
    free port; None accepts any port)."""

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(sweeper(app))
        try:
            yield
        finally:
            task.cancel()
            app.state.sessions.close()
            app.state.uploads.close()

    served = Served(host, port)
    routes = [
        Route("/", index),
        Route("/api/labels", labels),
        *step_routes.ROUTES,
        *train_routes.ROUTES,
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, served=served)],
        exception_handlers={
            BpnnError: refused,
            HTTPException: http_error,
            Exception: crashed,
        },
        lifespan=lifespan,
    )
    app.state.served, app.state.lang = served, lang
    app.state.sessions = Sessions(idle_s, max_sessions)
    app.state.uploads = data.Uploads()
    app.state.stream_period = 0.1
    # set when the server stops: the event streams end, so connections close
    app.state.closing = False
    return app
