"""``bpnn playground``: the lecture's networks in a browser, served locally.

A small Starlette app (``bpnn.playground.app.create_app``) serves one static
page and a JSON API. The page only draws: every number it shows comes from the
engine -- a step view from ``bpnn.trace`` and ``Trace.to_dict()``, a training
view from ``Network.train_step`` in a thread per session -- so the browser, the
command line and the notebooks always agree. Starlette and uvicorn are needed
only here (``pip install "bpnn[playground]"``); importing this package does not
import them.
"""

INSTALL_HINT = (
    'the playground needs starlette and uvicorn: pip install "bpnn[playground]" '
    '(in a checkout: pip install -e ".[playground]")'
)
