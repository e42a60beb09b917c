"""The playground's web app: one page, its static files and a JSON API.

Endpoints (every answer JSON unless said; every refusal ``{"error": "..."}``
with a 4xx status):

- ``GET /``: the page; ``GET /static/...``: its scripts and styles.
- ``GET /api/labels``: the trace's names in English and Chinese
  (``bpnn.trace_text``'s tables).
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
import json
import logging
import time
from importlib import resources

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import BpnnError
from . import checking, checks, data, downloads, stepview, toydata
from .checks import RequestError
from .guard import Guard, Served
from .sessions import Session, Sessions, run_config

log = logging.getLogger("bpnn.playground")
COMMANDS = ("play", "pause", "step", "reset")
STATIC = resources.files(__package__).joinpath("static")


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


def spec_from(body):
    kind = checks.choice(body, "network", ("exercise", "random", "spec"), "exercise")
    if kind == "exercise":
        return stepview.exercise_spec()
    if kind == "random":
        return stepview.random_spec(body)
    return body.get("spec")


async def trace_view(request):
    body = await json_body(request)
    _, answer = stepview.traced(spec_from(body))
    return JSONResponse(answer)


async def check_view(request):
    body = await json_body(request)
    lang = checks.choice(body, "lang", ("en", "zh"), "en")
    t, answer = stepview.traced(spec_from(body))
    return JSONResponse(checking.check(t, answer, body.get("answers"), lang))


def datasets_view(request):
    return JSONResponse(
        {
            "toy": list(toydata.SETS),
            "multiclass": list(toydata.MULTICLASS),
            "course": list(data.COURSE),
            "extent": toydata.EXTENT,
            "upload_limit": checks.MAX_UPLOAD,
        }
    )


async def upload_view(request):
    raw = await body_of(request, checks.MAX_UPLOAD)
    name = request.query_params.get("name", "upload.csv")
    answer = await run_in_threadpool(request.app.state.uploads.add, raw, name)
    return JSONResponse(answer)


async def create_session(request):
    body = await json_body(request)
    config = run_config(body)
    state = request.app.state

    def make():
        dataset = data.load(body, state.uploads)
        session = state.sessions.add(Session(dataset, config))
        answer = dict(session.latest)
        if dataset.feature_names == ["x1", "x2"] and dataset.task != "regression":
            answer["points"] = data.points(dataset)
        answer["dataset"] = {
            "name": dataset.name,
            "task": dataset.task,
            "features": len(dataset.feature_names),
            "classes": dataset.preparation.classes,
            "rows": {split: len(X) for split, X, _ in dataset.splits()},
        }
        return answer

    return JSONResponse(await run_in_threadpool(make))


def session_of(request) -> Session:
    return request.app.state.sessions.get(request.path_params["id"])


async def command_view(request):
    session = session_of(request)
    name = request.path_params["command"]
    if name not in COMMANDS:
        raise RequestError(f"no command {name!r}; choose {', '.join(COMMANDS)}", 404)
    body = await json_body(request)
    steps = checks.number(body, "steps", 1, 1, 100_000, integer=True)
    state = await run_in_threadpool(session.command, name, steps)
    return JSONResponse({"state": state, "version": session.version})


def delete_view(request):
    request.app.state.sessions.remove(request.path_params["id"])
    return JSONResponse({"deleted": request.path_params["id"]})


async def state_view(request):
    session = session_of(request)
    after = checks.number(dict(request.query_params), "after", -1, -1, 2**62, True)
    latest = await run_in_threadpool(session.wait_for, after, 10.0)
    return JSONResponse(latest)


async def events_view(request):
    session = session_of(request)
    period = request.app.state.stream_period
    # ?max=N ends the stream after N snapshots (for scripts and tests)
    most = checks.number(dict(request.query_params), "max", 0, 0, 2**62, True)

    async def stream():
        sent, count = -1, 0
        while not session.closed and not (most and count >= most):
            session.last_seen = time.monotonic()  # a page is watching
            if session.version != sent:
                latest = session.latest
                sent = latest["version"]
                count += 1
                yield f"data: {json.dumps(latest)}\n\n"
            await asyncio.sleep(period)
        yield "event: closed\ndata: {}\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def model_view(request):
    session = session_of(request)
    raw = await run_in_threadpool(downloads.model_bytes, session)
    name = f"{session.dataset.name}-model.npz"
    return Response(
        raw,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def history_view(request):
    session = session_of(request)
    name = f"{session.dataset.name}-history.csv"
    return Response(
        downloads.history_text(session),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
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
        Route("/api/trace", trace_view, methods=["POST"]),
        Route("/api/check", check_view, methods=["POST"]),
        Route("/api/datasets", datasets_view),
        Route("/api/uploads", upload_view, methods=["POST"]),
        Route("/api/sessions", create_session, methods=["POST"]),
        Route("/api/sessions/{id}", delete_view, methods=["DELETE"]),
        Route(
            "/api/sessions/{id}/{command:str}",
            command_view,
            methods=["POST"],
        ),
        Route("/api/sessions/{id}/state", state_view),
        Route("/api/sessions/{id}/events", events_view),
        Route("/api/sessions/{id}/model.npz", model_view),
        Route("/api/sessions/{id}/history.csv", history_view),
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
    return app
