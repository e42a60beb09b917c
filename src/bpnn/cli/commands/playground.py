"""``bpnn playground``: the lecture's networks in the browser, served locally."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """examples:
  bpnn playground                 serve on http://127.0.0.1:8000/
  bpnn playground --port 0 --open pick a free port, open the browser
  bpnn playground --lang zh       the page in the lecture's terms

The page steps through the lecture's exercise (or any small network) one
quantity at a time, checks values computed by hand, and trains networks on toy
data, the lecture's data sets or a CSV while drawing them. Ctrl-C stops it.
Needs starlette and uvicorn: pip install "bpnn[playground]".
"""


def add_parser(sub):
    p = sub.add_parser(
        "playground",
        help="step through and train networks in the browser (local web server)",
        description="Start a local web server with the bpnn playground and print "
        "its URL. It answers only requests addressed to it (the --host given).",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--port", type=int, default=8000, help="port (default 8000; 0: a free one)"
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to serve on (default 127.0.0.1: this computer only)",
    )
    p.add_argument("--open", action="store_true", help="open the page in a browser")
    p.add_argument(
        "--lang", choices=["en", "zh"], default="en", help="the page's language"
    )
    p.set_defaults(run=run)


def run(args):
    from ...errors import UsageError

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    try:
        from ...playground.server import serve
    except ImportError as err:  # pragma: no cover - starlette is an extra
        raise UsageError(str(err)) from None
    try:
        return serve(args.host, args.port, args.open, args.lang)
    except ImportError as err:
        raise UsageError(str(err)) from None
