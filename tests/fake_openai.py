"""A scripted OpenAI-compatible server on loopback, so the real client runs over real HTTP.

Tests queue replies (`text`, `tool_call`, `error`, `hang_up`, `slow`) and read back what
the client sent (`requests`: body, headers and path of each call). An empty queue answers
HTTP 500, so a test that makes more calls than it scripted fails loudly.

    def test_x(fake_openai):
        fake_openai.enqueue(fake_openai.text("Hello"))
        ...  # point the client at fake_openai.url
        assert fake_openai.requests[0].headers["authorization"] == "Bearer ..."
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Request:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    """Header names in lower case ("authorization")."""
    body: dict[str, Any] = field(default_factory=dict)


class FakeOpenAI:
    """The server and its script: a queue of replies and a history of requests."""

    def __init__(self) -> None:
        self.replies: deque[dict[str, Any]] = deque()
        self.requests: list[Request] = []
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        """The base URL to give the client (ends in /v1)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def chat_requests(self) -> list[Request]:
        """Only the chat completion calls."""
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> FakeOpenAI:
        """Serve in a background thread; returns the server, ready for requests."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (a `slow` reply still waiting is dropped)."""
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def enqueue(self, *replies: dict[str, Any]) -> None:
        """Script the next replies, answered in order, one per chat completion call."""
        self.replies.extend(replies)

    # --- reply builders -------------------------------------------------------------

    @staticmethod
    def text(content: str, *, usage: tuple[int, int] | None = (50, 10)) -> dict[str, Any]:
        """A plain assistant message; usage=(prompt, completion) tokens, or None to omit it."""
        return {"message": {"role": "assistant", "content": content}, "finish": "stop",
                "usage": usage}

    @staticmethod
    def tool_call(name: str, arguments: dict[str, Any] | str, *, call_id: str = "call_1",
                  content: str | None = None, usage: tuple[int, int] | None = (60, 20)
                  ) -> dict[str, Any]:
        """An assistant message calling one tool; a str `arguments` is sent as is (bad JSON)."""
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        call = {"id": call_id, "type": "function", "function": {"name": name, "arguments": raw}}
        return {"message": {"role": "assistant", "content": content, "tool_calls": [call]},
                "finish": "tool_calls", "usage": usage}

    @staticmethod
    def error(status: int, message: str = "scripted failure",
              headers: dict[str, str] | None = None) -> dict[str, Any]:
        """An HTTP error with OpenAI's error body (429 rate limit, 500 server error...),
        and any extra headers (such as Retry-After)."""
        return {"status": status, "error": message, "headers": headers or {}}

    @staticmethod
    def raw(status: int, body: bytes, content_type: str = "text/html",
            headers: dict[str, str] | None = None) -> dict[str, Any]:
        """Any HTTP answer at all: a proxy's HTML page, truncated JSON, extra headers."""
        return {"raw": (status, body, content_type, headers or {})}

    @staticmethod
    def hang_up() -> dict[str, Any]:
        """Close the connection without answering."""
        return {"hang_up": True}

    @staticmethod
    def slow(seconds: float, reply: dict[str, Any]) -> dict[str, Any]:
        """Answer `reply` after a delay (to test the client's timeout)."""
        return {**reply, "delay": seconds}


def _completion(model: str, reply: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": reply["message"],
                     "finish_reason": reply["finish"], "logprobs": None}],
    }
    if reply.get("usage"):
        prompt, completion = reply["usage"]
        body["usage"] = {"prompt_tokens": prompt, "completion_tokens": completion,
                         "total_tokens": prompt + completion}
    return body


def _chunks(model: str, reply: dict[str, Any]) -> list[dict[str, Any]]:
    """The same reply as streaming chunks: a delta with everything, then the finish."""
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": model}
    delta = dict(reply["message"])
    if "tool_calls" in delta:
        delta["tool_calls"] = [{"index": i, **call} for i, call in enumerate(delta["tool_calls"])]
    chunks = [{**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
              {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": reply["finish"]}]}]
    if reply.get("usage"):
        prompt, completion = reply["usage"]
        chunks.append({**base, "choices": [], "usage": {
            "prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion}})
    return chunks


def _handler_for(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def _send_json(self, status: int, payload: dict[str, Any],
                       headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json", headers or {})

        def _send(self, status: int, data: bytes, content_type: str, headers: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _record(self, body: dict[str, Any]) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            server.requests.append(Request(self.command, self.path, headers, body))

        def do_GET(self) -> None:
            self._record({})
            if self.path.rstrip("/").endswith("/models"):
                self._send_json(200, {"object": "list", "data": [
                    {"id": "fake-model", "object": "model", "created": 0, "owned_by": "tests"}]})
            else:
                self._send_json(404, {"error": {"message": "not found", "type": "not_found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                body = {"_unparsed": True}
            self._record(body)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send_json(404, {"error": {"message": "not found", "type": "not_found"}})
                return
            reply = server.replies.popleft() if server.replies else self.no_script()
            if reply.get("delay") and server._stop.wait(reply["delay"]):
                return
            if reply.get("hang_up"):
                self.close_connection = True
                self.connection.close()
                return
            if "raw" in reply:
                status, data, content_type, headers = reply["raw"]
                self._send(status, data, content_type, headers)
                return
            if "status" in reply:
                self._send_json(reply["status"], {"error": {
                    "message": reply["error"], "type": "scripted", "code": str(reply["status"])}},
                    reply.get("headers"))
                return
            model = body.get("model", "fake-model")
            if body.get("stream"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for chunk in _chunks(model, reply):
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.close_connection = True
                return
            self._send_json(200, _completion(model, reply))

        @staticmethod
        def no_script() -> dict[str, Any]:
            return FakeOpenAI.error(500, "the test scripted no more replies")

    return Handler


@pytest.fixture
def fake_openai():
    """A running FakeOpenAI on 127.0.0.1 (a free port), stopped after the test."""
    server = FakeOpenAI().start()
    yield server
    server.stop()
