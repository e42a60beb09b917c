"""The training view's endpoints: data sets, uploads, sessions and their
commands, the snapshot stream, and the downloads."""

from __future__ import annotations

import asyncio
import json
import time

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from . import checks, data, downloads, toydata
from .checks import RequestError
from .reading import body_of, json_body
from .sessions import Session, run_config

COMMANDS = ("play", "pause", "step", "reset")


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
            "features": dataset.feature_names,
            "classes": dataset.preparation.classes,
            "rows": {split: len(X) for split, X, _ in dataset.splits()},
            "columns": data.columns(dataset),
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
        closing = request.app.state
        while not (session.closed or closing.closing or (most and count >= most)):
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


ROUTES = [
    Route("/api/datasets", datasets_view),
    Route("/api/uploads", upload_view, methods=["POST"]),
    Route("/api/sessions", create_session, methods=["POST"]),
    Route("/api/sessions/{id}", delete_view, methods=["DELETE"]),
    Route("/api/sessions/{id}/{command:str}", command_view, methods=["POST"]),
    Route("/api/sessions/{id}/state", state_view),
    Route("/api/sessions/{id}/events", events_view),
    Route("/api/sessions/{id}/model.npz", model_view),
    Route("/api/sessions/{id}/history.csv", history_view),
]
