"""Serving the playground with uvicorn: bind, print the URL, stop on Ctrl-C.

The socket is bound before uvicorn starts so that port 0 can pick a free port
and the app's Host check knows it; the line ``bpnn playground: serving on
URL`` is printed once uvicorn accepts connections, so a script (or a test) can
wait for it.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import threading

from . import INSTALL_HINT


def url_of(host, port):
    name = f"[{host}]" if ":" in host else host
    return f"http://{name}:{port}/"


def bind(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise OSError(err.errno, f"cannot serve on {host}:{port}: {err.strerror}")
    return sock


def serve(host="127.0.0.1", port=8000, open_browser=False, lang="en", stream=None):
    """Run until Ctrl-C (or SIGTERM); returns 0 after a clean stop."""
    try:
        import uvicorn

        from .app import create_app
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    stream = stream or sys.stdout
    sock = bind(host, port)
    port = sock.getsockname()[1]
    app = create_app(host=host, port=port, lang=lang)
    url = url_of(host, port)

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None):
            app.state.closing = True  # end the event streams first
            await super().shutdown(sockets=sockets)

        @contextlib.contextmanager
        def capture_signals(self):
            """Ctrl-C and SIGTERM stop the server cleanly, and are not raised
            again afterwards (uvicorn's default): the command exits 0."""
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            signals = (signal.SIGINT, signal.SIGTERM)
            before = {s: signal.signal(s, self.handle_exit) for s in signals}
            try:
                yield
            finally:
                for s, handler in before.items():
                    signal.signal(s, handler)

        async def startup(self, sockets=None):
            await super().startup(sockets=sockets)
            if not self.should_exit:
                print(f"bpnn playground: serving on {url}", file=stream, flush=True)
                if open_browser:
                    import webbrowser

                    threading.Thread(
                        target=webbrowser.open, args=(url,), daemon=True
                    ).start()

    config = uvicorn.Config(
        app,
        log_level="warning",
        timeout_graceful_shutdown=2,
        lifespan="on",
    )
    server = Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    print("bpnn playground: stopped", file=stream, flush=True)
    return 0
