"""Run pyHanko's coroutines from synchronous code, whether or not an event loop runs in this thread.

pyHanko's synchronous functions call `asyncio.run`, which fails inside a running loop (an async view, or a
test process where Playwright's loop runs in the main thread). There the coroutine runs to completion in a
thread of its own, and the caller waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def finish(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to its end and return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
