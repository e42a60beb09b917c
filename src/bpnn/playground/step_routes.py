"""The step view's endpoints: the trace of a network, and checking a learner's
values against it (``bpnn.playground.stepview``, ``bpnn.playground.checking``)."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.routing import Route

from . import checking, checks, stepview
from .reading import json_body


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


ROUTES = [
    Route("/api/trace", trace_view, methods=["POST"]),
    Route("/api/check", check_view, methods=["POST"]),
]
