"""Database outages made on this machine, and requests through the real WSGI application.

Run as `python -m tests.outages MODE PATH...` with DATABASE_URL unset: it points the settings at a
database in that state (MODE is `closed`, a port nobody listens on, or `silent`, a server that
accepts connections and never answers), asks for each path and prints one JSON line per answer.
"""

import json
import os
import socket
import sys
import threading
import time
from contextlib import contextmanager, suppress
from io import BytesIO
from wsgiref.util import setup_testing_defaults


@contextmanager
def closed_port():
    """Yield a local port on which nothing listens, so connecting is refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    yield port


@contextmanager
def silent_server():
    """Yield the port of a server that accepts connections and never says a word."""
    held = []
    server = socket.create_server(("127.0.0.1", 0))

    def accept():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        for connection in held:
            connection.close()


class Proxy:
    """A TCP relay to a real server that can be switched between relaying and refusing."""

    def __init__(self, target):
        self.target = target
        self.relaying = False
        self.relayed = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self):
        """Stop relaying and drop every connection relayed so far, as a failing server would."""
        self.relaying = False
        for end in self.relayed:
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        self.relayed.clear()

    def close(self):
        self.cut()
        self.server.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.relaying:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.relayed += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


def wsgi_get(path, host="127.0.0.1"):
    """Ask gunicorn's WSGI application for a path; return status, headers, body and seconds."""
    from tracker.wsgi import application

    environ = {"PATH_INFO": path, "HTTP_HOST": host, "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    started = time.monotonic()
    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        # As a WSGI server does: this is when Django closes a broken database connection.
        getattr(chunks, "close", lambda: None)()
    answer["seconds"] = time.monotonic() - started
    answer["body"] = body.decode()
    return answer


def main(mode, paths):
    """Ask for each path with the database in the given state; print one JSON line each."""
    database = closed_port() if mode == "closed" else silent_server()
    with database as port:
        os.environ["DATABASE_URL"] = f"postgres://tracker@127.0.0.1:{port}/tracker"
        import django

        django.setup()
        from django.urls import get_resolver

        # Import every view first, as a warm gunicorn worker has, so that only the wait is timed.
        get_resolver().url_patterns  # noqa: B018
        for path in paths:
            print(json.dumps(wsgi_get(path)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
