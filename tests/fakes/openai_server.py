"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: chat completions, SSE chunks, usage, faults."""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

DEFAULT_TEXT = "Hello from the fake server, one word at a time."
ERROR_TYPES = {
    401: "invalid_request_error",
    403: "permission_denied",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "service_unavailable",
}


@dataclass
class Script:
    """How the server answers; tests change it before (or while) the client calls."""

    text: str = DEFAULT_TEXT
    token_delay_s: float = 0.0
    first_byte_delay_s: float = 0.0
    status: int | None = None  # answer every request with this error status...
    fail_first: int = 0  # ...or only the first N requests
    retry_after: str | None = None
    error_message: str = "Scripted failure."
    stall_after: int | None = None  # send this many pieces, then go silent until the client leaves
    malformed: bool = False  # send a chunk that is not JSON after the first piece
    prompt_tokens: int | None = None  # default: words in the messages
    known_models: tuple[str, ...] | None = None  # others get a 404 "model does not exist", as OpenAI answers
    echo: bool = False  # answer with the last user message, in echo_chars-sized pieces, byte for byte
    echo_chars: int = 7
    utf16_pieces: bool = False  # cut echo pieces in UTF-16 code units, splitting emoji as JavaScript servers may
    disconnect_after: int | None = None  # send this many pieces, then close the connection without finishing
    usage: bool = True  # False: never send usage, as llama-cpp-python's server, Ollama or LM Studio may not
    recording: bytes | None = None  # replay this SSE body event by event, token_delay_s apart, whatever was asked


@dataclass
class Recorded:
    """One request as the server saw it."""

    path: str
    body: dict[str, Any]
    authorization: str | None


@dataclass
class FakeOpenAIServer:
    """The server, its script and what it received."""

    script: Script = field(default_factory=Script)
    requests: list[Recorded] = field(default_factory=list)
    closing: threading.Event = field(default_factory=threading.Event)
    hung_up: threading.Event = field(default_factory=threading.Event)  # a client left a stalled stream

    def __post_init__(self) -> None:
        self._httpd = _NamedThreadsServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="fake-openai", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self.closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _NamedThreadsServer(ThreadingHTTPServer):
    """Names its request threads, so that tests counting the app's threads can leave the server's out."""

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), name="fake-openai-request", daemon=True
        )
        worker.start()


def pieces_of(text: str) -> list[str]:
    """The text cut into word-sized pieces, each counted as one token."""
    return re.findall(r"\S+\s*", text)


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _handler_for(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # the body ends when the connection closes, as many SSE servers do

        def log_message(self, *args: Any) -> None:
            """Keep test output quiet."""

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            server.requests.append(Recorded(self.path, body, self.headers.get("Authorization")))
            script = server.script
            if server.closing.wait(script.first_byte_delay_s):
                return
            if not self.path.endswith("/chat/completions"):
                self._error(404, f"No route {self.path}.")
            elif script.status and (not script.fail_first or len(server.requests) <= script.fail_first):
                self._error(script.status, script.error_message)
            elif script.known_models is not None and body.get("model") not in script.known_models:
                self._error(404, f"The model `{body.get('model')}` does not exist or you do not have access to it.")
            elif body.get("stream") and script.recording is not None:
                self._replay(script.recording, script.token_delay_s)
            elif body.get("stream"):
                self._stream(body, script)
            else:
                self._complete(body, script)

        def _error(self, status: int, message: str) -> None:
            payload = {"error": {"message": message, "type": ERROR_TYPES.get(status, "error"), "code": None}}
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if server.script.retry_after is not None:
                self.send_header("Retry-After", server.script.retry_after)
            self.end_headers()
            self.wfile.write(json.dumps(payload).encode())

        def _usage(self, body: dict[str, Any], script: Script, completion: int) -> dict[str, int]:
            words = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
            prompt = script.prompt_tokens if script.prompt_tokens is not None else words
            return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

        def _pieces(self, body: dict[str, Any], script: Script) -> list[str]:
            limit = body.get("max_completion_tokens") or body.get("max_tokens")
            if script.echo:
                said = next((m["content"] for m in reversed(body.get("messages", [])) if m["role"] == "user"), "")
                if script.utf16_pieces:
                    units, step = said.encode("utf-16-le", "surrogatepass"), 2 * script.echo_chars
                    return [
                        units[i : i + step].decode("utf-16-le", "surrogatepass") for i in range(0, len(units), step)
                    ]
                return [said[i : i + script.echo_chars] for i in range(0, len(said), script.echo_chars)]
            return pieces_of(script.text)[:limit]

        def _complete(self, body: dict[str, Any], script: Script) -> None:
            pieces = self._pieces(body, script)
            reply = {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": "".join(pieces)}, "finish_reason": "stop"}
                ],
                "usage": self._usage(body, script, len(pieces)),
            }
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(reply).encode())

        def _send(self, payload: dict[str, Any] | str) -> None:
            data = payload if isinstance(payload, str) else json.dumps(payload)
            self.wfile.write(f"data: {data}\n\n".encode())
            self.wfile.flush()

        def _stream(self, body: dict[str, Any], script: Script) -> None:
            model = body.get("model", "fake")
            pieces = self._pieces(body, script)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            try:
                self._send(_chunk(model, {"role": "assistant", "content": ""}))
                for sent, piece in enumerate(pieces):
                    if script.stall_after is not None and sent >= script.stall_after:
                        self._hold()
                        return
                    if script.disconnect_after is not None and sent >= script.disconnect_after:
                        return  # HTTP/1.0: closing the connection ends the body, mid-answer
                    if sent and server.closing.wait(script.token_delay_s):
                        return
                    self._send(_chunk(model, {"content": piece}))
                    if script.malformed:
                        self._send("{this is not json")
                self._send(_chunk(model, {}, "stop"))
                if script.usage and body.get("stream_options", {}).get("include_usage"):
                    self._send({**_chunk(model, {}), "choices": [], "usage": self._usage(body, script, len(pieces))})
                self._send("[DONE]")
            except (BrokenPipeError, ConnectionResetError):
                return

        def _replay(self, recording: bytes, delay_s: float) -> None:
            """Send a recorded SSE body unchanged, one event (up to its blank line) at a time."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            try:
                for index, event in enumerate(re.findall(rb".*?(?:\r\n\r\n|\n\n)|.+", recording, re.DOTALL)):
                    if index and server.closing.wait(delay_s):
                        return
                    self.wfile.write(event)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def _hold(self) -> None:
            """Stay silent until the client hangs up or the server closes, like a server that stalls."""
            sock: socket.socket = self.connection
            while not server.closing.is_set():
                readable, _, _ = select.select([sock], [], [], 0.05)
                if readable and not sock.recv(1, socket.MSG_PEEK):
                    server.hung_up.set()
                    return

    return Handler


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """A fresh server per test, closed afterwards."""
    with FakeOpenAIServer() as server:
        yield server
