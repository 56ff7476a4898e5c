"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, llama.cpp server, TGI) through the openai SDK."""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpcore2
import httpx2
import openai

from llmcompare.providers.base import (
    OPENAI_BASE_URL,
    REPLACEMENT_CHARACTER,
    GenerationSettings,
    ProviderError,
    Usage,
    valid_text,
)
from llmcompare.providers.endpoints import KEY_ENV, blocked_address

MAX_ATTEMPTS = 3
BACKOFF_S = 0.5
MAX_WAIT_S = 20.0
CONNECT_TIMEOUT_S = 10.0
REDACTED = "[redacted]"
# Most specific first: the first class that matches words the message.
STATUS_MESSAGES = (
    (openai.AuthenticationError, "{where} rejected the API key (401): check the key."),
    (openai.PermissionDeniedError, "This key may not use {model!r} at {where} (403)."),
    (openai.NotFoundError, "Unknown model {model!r} at {where} (404)."),
    (openai.RateLimitError, "Rate limited by {where} (429), still after {attempts} attempts: try again later."),
    (openai.InternalServerError, "Server error {status} from {where}, still after {attempts} attempts."),
    (openai.APIStatusError, "{where} refused the request ({status})."),
)


def resolve_api_key(*candidates: str | None) -> str | None:
    """The first non-blank key, candidates given in order of precedence (sidebar, secrets, environment)."""
    return next((c.strip() for c in candidates if c and c.strip()), None)


def not_configured_message(base_url: str) -> str:
    """What to tell a user who has no key yet."""
    return (
        f"No API key configured for {base_url}. Enter one in the sidebar, add {KEY_ENV} to "
        f".streamlit/secrets.toml, or set the {KEY_ENV} environment variable. "
        "Local servers such as Ollama or vLLM accept any non-empty key."
    )


def redact(text: str, key: str | None) -> str:
    """Text with every occurrence of the key blanked out."""
    return text.replace(key, REDACTED) if key else text


class UnresolvedHost(httpcore2.ConnectError):
    """The host name in the base URL did not resolve, or not within the connect timeout."""


class BlockedHost(UnresolvedHost):
    """The host resolved only to link-local or cloud-metadata addresses, which are never called."""


def _is_ip(host: str) -> bool:
    with contextlib.suppress(ValueError):
        return bool(ipaddress.ip_address(host.strip("[]")))
    return False


class _AbortableSockets(httpcore2.SyncBackend):
    """Remembers the sockets it opens, so that a stop can shut them down and wake a read blocked on them.

    It also looks host names up itself: getaddrinfo() takes no timeout, and on a machine whose DNS server does not
    answer it blocks for tens of seconds, past both the connect timeout and the user's stop.
    """

    def __init__(self) -> None:
        super().__init__()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._aborted = threading.Event()

    def _addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        """The host's addresses, waiting at most timeout seconds (the lookup thread may outlive a slow DNS)."""
        if _is_ip(host):
            return [host]
        found: list[Any] = []
        done = threading.Event()

        def lookup() -> None:
            try:
                found.extend(
                    dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
                )
            except OSError as exc:
                found.append(exc)
            done.set()

        threading.Thread(target=lookup, name="llmcompare-resolve", daemon=True).start()
        limit_s = timeout if timeout is not None else CONNECT_TIMEOUT_S
        deadline = time.monotonic() + limit_s
        while not done.wait(0.05):
            if self._aborted.is_set():
                raise httpcore2.ConnectError("stopped while looking up the host")
            if time.monotonic() > deadline:
                raise UnresolvedHost(f"no answer from DNS for {host} within {limit_s:g} s")
        if found and isinstance(found[0], OSError):
            raise UnresolvedHost(f"looking up {host} failed ({found[0].strerror or found[0]})")
        return found

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kwargs: Any) -> httpcore2.NetworkStream:
        """Connect to each address of host in turn, like socket.create_connection, and remember the socket."""
        last: Exception = UnresolvedHost(f"{host} has no address")
        for address in self._addresses(host, port, timeout):
            if blocked_address(address):  # checked after the lookup, so a DNS name cannot point here either
                last = BlockedHost(f"{host} resolves to {address}, a link-local or cloud-metadata address")
                continue
            try:
                stream = super().connect_tcp(address, port, timeout, **kwargs)
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                last = exc
                continue
            with self._lock:
                self._sockets.append(stream.get_extra_info("socket"))
            return stream
        raise last

    def abort(self) -> None:
        """Shut every socket down; unlike close(), shutdown() wakes a thread blocked in recv()."""
        self._aborted.set()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context for the process: loading the CA store takes tens of milliseconds, per client otherwise."""
    return httpx2.create_ssl_context()


def _http_client(backend: _AbortableSockets) -> httpx2.Client:
    """An HTTP client whose connections go through backend."""
    transport = httpx2.HTTPTransport(verify=_ssl_context())
    # httpx exposes no public hook for the network backend; this is the one private seam we rely on.
    transport._pool._network_backend = backend
    return httpx2.Client(transport=transport)


@contextlib.contextmanager
def _on_stop(stop: threading.Event, action: Callable[[], None]) -> Iterator[None]:
    """Run action as soon as stop is set, for as long as the block runs; the watcher is joined on exit."""
    finished = threading.Event()

    def watch() -> None:
        # Waiting on `finished` lets the block's exit end the watcher at once; a stop is seen within 50 ms.
        while not finished.wait(0.05):
            if stop.is_set():
                action()
                return

    watcher = threading.Thread(target=watch, name="llmcompare-stop-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


def retry_delay(attempt: int, exc: openai.APIStatusError) -> float:
    """Seconds to wait before the next attempt: the server's Retry-After if it sent one, else exponential."""
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        with contextlib.suppress(TypeError, ValueError):
            return min(MAX_WAIT_S, max(0.0, float(headers.get(name)) * scale))
    return min(MAX_WAIT_S, BACKOFF_S * 2 ** (attempt - 1))


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of kind in exc's chain of causes (the SDK and httpx each wrap the one below)."""
    seen: BaseException | None = exc
    while seen is not None and not isinstance(seen, kind):
        seen = seen.__cause__ or seen.__context__
    return seen


def _whole_characters(text: str) -> tuple[str, str]:
    """Valid text, and a trailing high surrogate held back for the next chunk.

    Servers that stream from UTF-16 strings (JavaScript, Java) may split an emoji's surrogate pair across two
    chunks; each half alone is not text, and could be neither shown nor stored.
    """
    if text and "\ud800" <= text[-1] <= "\udbff":
        return valid_text(text[:-1]), text[-1]
    return valid_text(text), ""


def _server_detail(exc: openai.APIStatusError) -> str:
    """The server's own explanation, shortened."""
    body = exc.body
    detail = body.get("message") if isinstance(body, dict) else body
    return str(detail or "").strip()[:300]


class OpenAICompatProvider:
    """Streams a chat completion with usage; retries 429 and 5xx, but only before any text has arrived."""

    def __init__(self, model: str, base_url: str = OPENAI_BASE_URL, api_key: str | None = None) -> None:
        self.model_name = model
        self.base_url = base_url.rstrip("/")
        self.spec = f"openai:{model}" if self.base_url == OPENAI_BASE_URL else f"openai:{model}@{self.base_url}"
        self._api_key = resolve_api_key(api_key)

    def __repr__(self) -> str:
        state = "set" if self._api_key else "not configured"
        return f"OpenAICompatProvider({self.model_name!r}, base_url={self.base_url!r}, key={state})"

    @property
    def configured(self) -> bool:
        """Whether a key is available."""
        return self._api_key is not None

    def _request(self, prompt: str, settings: GenerationSettings) -> dict[str, Any]:
        messages = [{"role": "system", "content": settings.system_prompt}] if settings.system_prompt else []
        messages.append({"role": "user", "content": prompt})
        # OpenAI's reasoning models refuse max_tokens; many self-hosted servers only know it.
        limit_name = "max_completion_tokens" if self.base_url == OPENAI_BASE_URL else "max_tokens"
        request = {
            "model": self.model_name,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": settings.temperature,
            "top_p": settings.top_p,
            limit_name: settings.max_new_tokens,
        }
        if settings.seed is not None:
            request["seed"] = settings.seed
        return request

    def _open(self, client: openai.OpenAI, request: dict[str, Any], stop: threading.Event) -> Any:
        """Start the stream, retrying rate limits and server errors with backoff; a stop cuts the wait short."""
        for attempt in range(1, MAX_ATTEMPTS):
            try:
                return client.chat.completions.create(**request)
            except (openai.RateLimitError, openai.InternalServerError) as exc:
                if stop.wait(retry_delay(attempt, exc)):
                    raise
        return client.chat.completions.create(**request)

    def _describe(self, exc: Exception, timeout_s: float, started: bool) -> str:
        """A user-facing message for an SDK error."""
        where = self.base_url
        if isinstance(exc, openai.APITimeoutError):
            message = f"No answer from {where} within {timeout_s:g} s (timeout)."
        elif isinstance(exc, openai.APIConnectionError) and (unresolved := _cause(exc, UnresolvedHost)):
            message = f"Could not resolve the host of {where}: {unresolved}. Check the base URL and the network."
        elif isinstance(exc, openai.APIConnectionError):
            message = f"Lost the connection to {where}." if started else f"Could not connect to {where}."
        elif isinstance(exc, openai.APIStatusError):
            template = next(text for kind, text in STATUS_MESSAGES if isinstance(exc, kind))
            message = template.format(where=where, model=self.model_name, status=exc.status_code, attempts=MAX_ATTEMPTS)
            if _server_detail(exc):
                message += f" Server says: {_server_detail(exc)}"
        else:
            message = f"{where} sent a stream that could not be read ({type(exc).__name__})."
        return redact(message, self._api_key)

    def _chunks(self, stream: Any, stop: threading.Event) -> Iterator[str | Usage]:
        """Text pieces from the SSE chunks, then the usage from the final chunk (empty when none came)."""
        usage = Usage()
        finished = False
        held = ""  # the first half of a surrogate pair whose second half is in the next chunk
        for chunk in stream:
            if stop.is_set():
                break
            if chunk.usage:
                usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
            for choice in chunk.choices:
                finished = finished or choice.finish_reason is not None
                if choice.delta and choice.delta.content:
                    piece, held = _whole_characters(held + choice.delta.content)
                    if piece:
                        yield piece
        stream.close()
        if held:
            yield REPLACEMENT_CHARACTER
        # A body that simply ends (a proxy or server cut it) is otherwise indistinguishable from a whole answer.
        if not finished and not stop.is_set():
            raise ProviderError(f"{self.base_url} closed the connection before the answer was complete (incomplete).")
        yield usage

    def stream(self, prompt: str, settings: GenerationSettings, stop: threading.Event) -> Iterator[str | Usage]:
        """Yield text pieces as they arrive, then the usage; raise ProviderError with a clear message."""
        if not self._api_key:
            raise ProviderError(not_configured_message(self.base_url))
        backend = _AbortableSockets()
        timeout = httpx2.Timeout(settings.timeout_s, connect=min(settings.timeout_s, CONNECT_TIMEOUT_S))
        started = False
        with _http_client(backend) as http, _on_stop(stop, backend.abort):
            client = openai.OpenAI(
                api_key=self._api_key, base_url=self.base_url, http_client=http, timeout=timeout, max_retries=0
            )
            try:
                for piece in self._chunks(self._open(client, self._request(prompt, settings), stop), stop):
                    started = started or isinstance(piece, str)
                    yield piece
            except (openai.APIError, ValueError) as exc:
                if stop.is_set():
                    return
                # Not chained: the SDK's exception holds the request, and with it the key.
                raise ProviderError(self._describe(exc, settings.timeout_s, started)) from None
            except ProviderError:
                raise
            except Exception as exc:  # anything else (an SDK or transport bug): still worded, still without the key
                if stop.is_set():
                    return
                detail = redact(f"{type(exc).__name__}: {exc}", self._api_key)
                raise ProviderError(f"Unexpected failure talking to {self.base_url}: {detail}") from None
