"""Providers, and one turn of the conversation written by an LLM agent over the engines.

Providers form a small registry (name -> factory), as in simonw/llm: `offline` (the
deterministic coach, no chat model at all) and `openai` (any OpenAI-compatible endpoint
through langchain-openai). The provider is chosen from the settings before any client is
built, because `ChatOpenAI()` refuses to start without a key.

`llm_turn` runs a LangChain agent whose tools are the engines (agent.tools). It makes one
model call for a plain reply and two for one round of tools, and never more than
`MAX_CALLS`. Every failure (connection, timeout, HTTP 429/500, a malformed or unknown tool
call, a looping model) raises `LLMError`, and the coach answers that turn offline.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages.utils import count_tokens_approximately

from agent.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

MAX_CALLS = 3
"""Model calls allowed in one turn; a model that keeps calling tools past this fails over."""

HISTORY_MESSAGES = 12
"""Earlier messages of the conversation sent with each turn (the rest is in the context)."""

OPENAI_URL = "https://api.openai.com/v1"
"""Where requests go when no base URL is configured."""

REFUSED = frozenset({"hostile", "rejected"})
"""Intents of turns whose message the coach refused; never sent to the model as history."""


class LLMError(RuntimeError):
    """The model could not write this turn; the message says why in a few words.

    Carries what the failed attempt cost, so the session's totals stay honest.
    """

    def __init__(self, message: str, *, calls: int = 0, input_tokens: int = 0,
                 output_tokens: int = 0) -> None:
        super().__init__(message)
        self.calls = calls
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens


class MalformedReply(RuntimeError):
    """The model's reply broke the protocol: bad tool arguments, an unknown tool, nothing said."""


# --- the provider registry ---------------------------------------------------------------

ModelFactory = Callable[[Settings], "BaseChatModel | None"]


@dataclass(frozen=True)
class Provider:
    """A way of writing the coach's replies. `build` returns None for the offline engine."""

    name: str
    build: ModelFactory
    description: str


PROVIDERS: dict[str, Provider] = {}


def register(name: str, description: str) -> Callable[[ModelFactory], ModelFactory]:
    """Register a provider's model factory under `name` (a decorator)."""

    def decorate(factory: ModelFactory) -> ModelFactory:
        PROVIDERS[name] = Provider(name, factory, description)
        return factory

    return decorate


@register("offline", "Align's own rule-based coach: nothing leaves this machine.")
def _offline(settings: Settings) -> None:
    return None


@register("openai", "Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp...).")
def _openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    base_url = settings.base_url or OPENAI_URL
    custom = not is_openai(base_url)
    # OPENAI_PROXY is meant for OpenAI's traffic: a local endpoint is reached directly.
    extra: dict[str, Any] = {"openai_proxy": None} if custom else {}
    model = ChatOpenAI(
        model=settings.model,
        # Always explicit: left unset, the client would read OPENAI_API_BASE or
        # OPENAI_BASE_URL itself and could send the key somewhere credential() never saw.
        base_url=base_url,
        api_key=settings.credential(),
        timeout=settings.timeout,
        max_retries=0,  # the fallback to offline is ours; retries would only add waiting
        **extra,
    )
    if custom:
        _forget_openai_account(model)
    return model


def is_openai(base_url: str) -> bool:
    """Whether requests to `base_url` go to OpenAI's own API (not a compatible server)."""
    from urllib.parse import urlsplit

    return (urlsplit(base_url).hostname or "").lower() == "api.openai.com"


def _forget_openai_account(model: Any) -> None:
    """Send no OpenAI organization or project header to another endpoint.

    Both ChatOpenAI and the openai client fill them from OPENAI_ORG_ID (or
    OPENAI_ORGANIZATION) and OPENAI_PROJECT_ID whenever they are given None, so passing
    None at construction cannot stop them; the clients compute the headers on every
    request from these attributes, so clearing them afterwards does.
    """
    model.openai_organization = None
    for client in (model.root_client, model.root_async_client):
        if client is not None:
            client.organization = None
            client.project = None


def get_provider(settings: Settings) -> Provider:
    """The registered provider the settings ask for."""
    return PROVIDERS[settings.active_provider]


def chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model of the active provider, or None when the offline engine writes."""
    return get_provider(settings).build(settings)


# --- one turn ---------------------------------------------------------------------------


def llm_turn(coach: Any, session: Any, message: str, *, today: date,
             model: BaseChatModel | None = None) -> Any:
    """One reply written by the LLM agent, with the records its tools made.

    `coach` is an agent.coach.Coach (its engine wrappers, store, library and
    `context(session)`); `session` is an agent.session.Session, whose last turns are sent
    as history and whose thread is left where the turn ended. `model` overrides the
    provider's chat model (tests, or a model the caller built). Returns an
    agent.session.Turn (the caller adds it to the session). Raises LLMError on any
    failure; the records the tools made are saved only once the turn has succeeded, so a
    failed turn changes nothing.
    """
    from agent.inputs import clean_text
    from agent.prompts import render
    from agent.session import Turn
    from agent.tools import Toolbox, as_data

    settings = coach.settings
    message = clean_text(message, "message", settings.max_input_chars)
    if model is None:
        model = chat_model(settings)
        if model is None:
            raise LLMError(f"provider {settings.active_provider!r} has no chat model")

    toolbox = Toolbox(coach=coach, today=today, session=session)
    tools = toolbox.tools()
    system = render("agent", "system", today=today.isoformat(),
                    context=as_data("what Align knows", coach.context(session) or "Nothing yet."))
    history = _history(session)
    counter = UsageCounter()
    try:
        result = _agent(model, tools, system).invoke(
            {"messages": [*history, _human(message)]},
            config={"callbacks": [counter], "recursion_limit": 10 * MAX_CALLS},
        )
        reply = _final_text(result["messages"])
        toolbox.commit(session)  # only now: a failed turn saves nothing
    except Exception as e:
        raise LLMError(describe_failure(e), calls=counter.calls,
                       input_tokens=counter.input_tokens,
                       output_tokens=counter.output_tokens) from e

    for record in toolbox.records:
        notes = toolbox.notes.get(record.id)
        if notes:
            reply += "\n\n" + render("agent", "model_view", goal=record.goal,
                                     views=[vars(n) for n in notes])
    return Turn(message=message, reply=reply, records=list(toolbox.records),
                provider=get_provider(settings).name, notice=None, intent=toolbox.intent(),
                calls=counter.calls, input_tokens=counter.input_tokens,
                output_tokens=counter.output_tokens)


def _agent(model: BaseChatModel, tools: Sequence[Any], system: str) -> Any:
    from langchain.agents import create_agent
    from langchain.agents.middleware import ModelCallLimitMiddleware

    return create_agent(model, tools, system_prompt=system, middleware=[
        ModelCallLimitMiddleware(run_limit=MAX_CALLS, exit_behavior="error"),
        _guard(tools),
    ])


def _guard(tools: Sequence[Any]) -> Any:
    """Middleware that rejects a reply whose tool calls are malformed, before any tool runs."""
    from langchain.agents.middleware import AgentMiddleware

    by_name = {tool.name: tool for tool in tools}

    class ToolCallGuard(AgentMiddleware):
        def after_model(self, state: Any, runtime: Any) -> None:
            check_reply(state["messages"][-1], by_name)

    return ToolCallGuard()


def check_reply(message: Any, tools: dict[str, Any]) -> None:
    """Raise MalformedReply unless every tool call names a tool and fits its arguments."""
    from pydantic import ValidationError

    for bad in getattr(message, "invalid_tool_calls", None) or ():
        raise MalformedReply(f"the model sent unreadable arguments for {bad.get('name')!r}")
    calls = getattr(message, "tool_calls", None) or ()
    for call in calls:
        tool = tools.get(call["name"])
        if tool is None:
            raise MalformedReply(f"the model called a tool that does not exist: {call['name']!r}")
        try:
            tool.args_schema.model_validate(call["args"])
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "arguments"
            raise MalformedReply(f"the model called {call['name']} with bad arguments: "
                                 f"{where}: {first['msg']}") from None
    if not calls and not _text(message):
        raise MalformedReply("the model replied with nothing")


def describe_failure(error: BaseException) -> str:
    """A few words on why the model could not answer, fit for the notice a person sees."""
    import openai
    from langchain.agents.middleware.model_call_limit import ModelCallLimitExceededError

    if isinstance(error, openai.APITimeoutError):
        return "the model did not answer in time"
    if isinstance(error, openai.APIConnectionError):
        return "the model endpoint could not be reached"
    if isinstance(error, openai.RateLimitError):
        wait = retry_after(error.response.headers.get("retry-after"))
        later = f"; it asks to wait {wait} s" if wait is not None else ""
        return f"the model endpoint is rate-limiting requests, HTTP 429{later}"
    if isinstance(error, openai.AuthenticationError):
        return "the model endpoint refused the API key, HTTP 401"
    if isinstance(error, openai.APIStatusError):
        return f"the model endpoint failed with HTTP {error.status_code}"
    if isinstance(error, ModelCallLimitExceededError):
        return f"the model kept calling tools past {MAX_CALLS} calls"
    if isinstance(error, MalformedReply):
        return str(error)
    if isinstance(error, json.JSONDecodeError):
        return "the model endpoint's answer was not valid JSON"
    if isinstance(error, ValueError | TypeError) and "response" in str(error).lower():
        # LangChain's words for a body that is not an OpenAI chat completion (an HTML
        # error page from a proxy, a body without `choices`).
        return "the model endpoint's answer was not an OpenAI-style chat completion"
    return f"the model turn failed: {type(error).__name__}"


MAX_RETRY_AFTER = 86_400
"""A wait longer than a day is reported as a day."""


def retry_after(value: str | None, now: datetime | None = None) -> int | None:
    """Seconds from a Retry-After header (a number, or an HTTP date seen from `now`), or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:  # "inf" or "1e400" from a confused server: no wait worth reporting
        return max(0, min(round(seconds), MAX_RETRY_AFTER)) if math.isfinite(seconds) else None
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, min(round((when - (now or datetime.now(UTC))).total_seconds()), MAX_RETRY_AFTER))


# --- messages and counting ----------------------------------------------------------------


def _human(text: str) -> BaseMessage:
    from langchain_core.messages import HumanMessage

    return HumanMessage(text)


def _history(session: Any) -> list[BaseMessage]:
    """The last few messages of the session as chat messages, without the current one."""
    from langchain_core.messages import AIMessage, HumanMessage

    messages: list[BaseMessage] = []
    for turn in getattr(session, "turns", ()):
        # A message the coach refused (empty, binary, an attempt to override it) is not
        # replayed to the model: refusing it once must not let it in later.
        if turn.intent in REFUSED or not turn.message:
            continue
        messages.append(HumanMessage(turn.message))
        messages.append(AIMessage(turn.reply))
    return messages[-HISTORY_MESSAGES:]


def _text(message: Any) -> str:
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content.strip()
    # Content blocks (some providers): keep the text ones.
    return "".join(b.get("text", "") for b in content if isinstance(b, dict)).strip()


def _final_text(messages: Sequence[Any]) -> str:
    text = _text(messages[-1]) if messages else ""
    if not text:
        raise MalformedReply("the model ended the turn without a reply")
    return text


class UsageCounter(BaseCallbackHandler):
    """Counts model calls and tokens in a turn, failed calls included (a callback handler).

    Uses the server's `usage` when the reply carries it; otherwise estimates with
    `count_tokens_approximately` (never tiktoken, which downloads its tables).
    """

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.input_tokens = 0
        self.output_tokens = 0
        self._pending: dict[UUID, int] = {}

    def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: UUID,
                            **kwargs: Any) -> None:
        tools = (kwargs.get("invocation_params") or {}).get("tools") or None
        self._pending[run_id] = count_tokens_approximately(messages[0] if messages else [],
                                                           tools=tools)

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        message = None
        if response.generations and response.generations[0]:
            message = getattr(response.generations[0][0], "message", None)
        self._count(run_id, message)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._count(run_id, None)  # the request went out: its input still counts

    def _count(self, run_id: UUID, message: Any) -> None:
        estimate = self._pending.pop(run_id, 0)
        self.calls += 1
        usage = getattr(message, "usage_metadata", None)
        if usage:
            self.input_tokens += usage.get("input_tokens", 0)
            self.output_tokens += usage.get("output_tokens", 0)
        else:
            self.input_tokens += estimate
            self.output_tokens += count_tokens_approximately([message]) if message else 0
