"""Values read once per request: a small dict that lives as long as the request that RequestMemoMiddleware
opened, and None outside a request (tasks, commands, the shell), where every read goes to the source.

Why: some shared values (the store's generation token in the cache) are read by several parts of one page;
each read is a round trip to Redis. Within a request they cannot usefully change except by this request's own
writes, which update the memo as they write."""

from __future__ import annotations

from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def request_memo() -> dict | None:
    """The current request's memo, or None outside a request."""
    return _memo.get()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
