"""Rendering a model's chat template, which is a stranger's code, in a process we can kill.

A chat template is Jinja from the model's repository. Jinja's sandbox stops it from touching
the machine and caps each ``range()``, but not how loops nest, nor what a string repeated a
billion times costs: two nested loops take minutes per render, and lm-eval renders once per
document. So the template never runs in the validator's or the runner's own process:

- :class:`Renderer` runs the tokenizer's own ``apply_chat_template`` (the real transformers
  code, on a copy of the tokenizer saved with ``save_pretrained``) in a child process with a
  memory limit, and kills it when a render passes its deadline or its output passes its size.
- :func:`check` renders the conversations lm-eval builds (a system prompt, few-shot turns as
  a multi-turn chat, a generation prompt or an answer prefix to continue) once, under a small
  budget: validation's ``hub-chat-template`` problem, and the runner's check before the model
  is evaluated.
- :func:`guard` then routes every render lm-eval asks of the tokenizer through the same child,
  each under a deadline and all together under a budget, so a template that is slow only on
  some documents is stopped too.

What a failing template said is quoted (``core.printable.quoted``): bounded, its hidden
characters visible, inside a sentence of ours.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2.exceptions import TemplateError

from ..core.errors import HubError, HubUnavailable
from ..core.printable import quoted

#: Starting the child and loading the tokenizer's copy (torch is imported on a runner).
STARTUP_SECONDS = 180.0
#: lm-eval's few conversations at validation, and the runner's check before evaluating: real
#: templates take milliseconds.
CHECK_SECONDS = 10.0
#: One render during the evaluation.
RENDER_SECONDS = 10.0
#: All renders of one evaluation together: this much, plus this much per render.
TOTAL_SECONDS, PER_RENDER_SECONDS = 120.0, 0.05
#: The longest text a render may return: a prompt, not a book.
MAX_OUTPUT_CHARS = 2_000_000
#: Address space the child may add to what it holds once the tokenizer is loaded.
MEMORY_BYTES = 2 * 1024**3

#: lm-eval's conversations (``lm_eval.api.task.fewshot_context``): a system prompt and few-shot
#: turns as a multi-turn chat ending in a question (generation prompt), the same ending in an
#: answer prefix the model continues, and a lone question.
_SYSTEM = {"role": "system", "content": "The following are questions about science."}
_TURNS = [
    {"role": "user", "content": "Question: What is 2 + 2?\nAnswer:"},
    {"role": "assistant", "content": " 4"},
    {"role": "user", "content": "Question: Which planet is largest?\nAnswer:"},
]
CONVERSATIONS: list[tuple[list[dict[str, str]], dict[str, bool]]] = [
    ([_SYSTEM, *_TURNS], {"add_generation_prompt": True, "continue_final_message": False}),
    (
        [_SYSTEM, *_TURNS, {"role": "assistant", "content": "The answer is"}],
        {"add_generation_prompt": False, "continue_final_message": True},
    ),
    (_TURNS[-1:], {"add_generation_prompt": True, "continue_final_message": False}),
]


class TemplateFailed(Exception):
    """The template raised, ran past its deadline or budget, or returned too much; ``reason``
    is ours, quoting the template's own words only as data."""

    def __init__(self, reason: str, *, raised: bool = False, ours: bool = False):
        super().__init__(reason)
        self.reason = reason
        #: The template itself raised (lm-eval then retries without the system message).
        self.raised = raised
        #: Not the template's doing: the child could not start or load the tokenizer's copy.
        self.ours = ours


class ChatTemplateRaised(TemplateError):
    """The template raised, in the child: lm-eval catches Jinja's ``TemplateError`` to retry
    without a system role. Its message is ours (:class:`TemplateFailed`'s reason)."""


class Renderer:
    """A child process that renders with the tokenizer saved in ``folder``."""

    def __init__(self, folder: Path):
        env = {**os.environ, "TOKENIZERS_PARALLELISM": "false", "RAYON_NUM_THREADS": "1"}
        env["MALLOC_ARENA_MAX"] = "2"
        self._proc = subprocess.Popen(
            [sys.executable, "-m", __name__, str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self._ready = False

    def start(self) -> None:
        """Wait for the child to load the tokenizer: its own allowance, not a render's."""
        if self._ready:
            return
        proc = self._proc
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], STARTUP_SECONDS)
        line = proc.stdout.readline() if ready else ""
        if not line.startswith('{"ready"'):
            self.close()
            raise TemplateFailed(
                "could not start the process that renders the chat template", ours=True
            )
        self._ready = True

    def render(self, messages: list[dict[str, Any]], deadline: float, **kwargs: Any) -> str:
        """The rendered text; ``TemplateFailed`` past ``deadline`` seconds (then the child is
        gone) or when the template raised or returned too much."""
        self.start()
        proc = self._proc
        if proc.poll() is not None or proc.stdin is None or proc.stdout is None:
            raise TemplateFailed("the process rendering the chat template has stopped")
        started = time.monotonic()
        try:
            proc.stdin.write(json.dumps({"messages": messages, "kwargs": kwargs}) + "\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise TemplateFailed(self._died()) from None
        left = deadline
        lines: list[str] = []
        while not lines:
            ready, _, _ = select.select([proc.stdout], [], [], max(left, 0))
            if not ready:
                self.close()
                raise TemplateFailed(
                    f"rendering the chat template took longer than {deadline:.1f} s"
                )
            line = proc.stdout.readline()
            if not line:
                raise TemplateFailed(self._died())
            lines.append(line)
            left = deadline - (time.monotonic() - started)
        reply = json.loads(lines[0])
        if "text" in reply:
            return reply["text"]
        raise TemplateFailed(reply["error"], raised=bool(reply.get("raised")))

    def _died(self) -> str:
        code = self._proc.wait(timeout=5)
        if code in (-9, 137):
            return "rendering the chat template ran out of memory (the process was killed)"
        return f"the process rendering the chat template stopped (exit status {code})"

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


@contextlib.contextmanager
def renderer(tokenizer: Any) -> Iterator[Renderer]:
    """A :class:`Renderer` for a loaded tokenizer (a copy of it, saved to a folder)."""
    with tempfile.TemporaryDirectory(prefix="lb-template-") as tmp:
        tokenizer.save_pretrained(tmp)
        worker = Renderer(Path(tmp))
        try:
            yield worker
        finally:
            worker.close()


def render_like_lm_eval(
    worker: Renderer, messages: list[dict[str, Any]], deadline: float, **kwargs: Any
) -> str:
    """As lm-eval's ``HFLM.apply_chat_template``: a template that raises is tried once more
    without the system message (many templates refuse a system role)."""
    try:
        return worker.render(messages, deadline, **kwargs)
    except TemplateFailed as exc:
        if not exc.raised or not any(m.get("role") == "system" for m in messages):
            raise
    return worker.render([m for m in messages if m.get("role") != "system"], deadline, **kwargs)


def check(tokenizer: Any, seconds: float = CHECK_SECONDS) -> str | None:
    """Why the tokenizer's chat template cannot render lm-eval's conversations within
    ``seconds``, or None when it can."""
    with renderer(tokenizer) as worker:
        worker.start()
        started = time.monotonic()
        for messages, kwargs in CONVERSATIONS:
            left = seconds - (time.monotonic() - started)
            try:
                render_like_lm_eval(worker, messages, left, **kwargs)
            except TemplateFailed as exc:
                if exc.ours:
                    raise
                return exc.reason
    return None


def template_problem(repo_id: str, sha: str) -> str | None:
    """:func:`check` for the tokenizer of ``repo_id`` at ``sha`` on the Hub, as the runner
    loads it. Raises ``HubUnavailable`` when the Hub cannot say, and ``TemplateFailed`` (with
    ``ours``) when the renderer could not start."""
    from transformers import AutoTokenizer

    from .outage import pretrained

    try:
        tokenizer = pretrained(AutoTokenizer, repo_id, sha)
    except (HubError, HubUnavailable):
        raise
    except Exception:  # a tokenizer that does not load is the hub-tokenizer rule's verdict
        return None
    if not getattr(tokenizer, "chat_template", None):
        return None
    return check(tokenizer)


@contextlib.contextmanager
def guard(tokenizer: Any) -> Iterator[None]:
    """Every ``tokenizer.apply_chat_template`` call in the block renders in a child process,
    each under :data:`RENDER_SECONDS`, all under :data:`TOTAL_SECONDS` plus
    :data:`PER_RENDER_SECONDS` each. A template that raises raises Jinja's ``TemplateError``
    (with our reason), as it would have in-process; the others raise :class:`TemplateFailed`.
    """
    spent = [0.0, 0]
    with renderer(tokenizer) as worker:

        def apply_chat_template(conversation: Any, *args: Any, **kwargs: Any) -> Any:
            tokenize = kwargs.pop("tokenize", True)
            spent[1] += 1
            budget = TOTAL_SECONDS + PER_RENDER_SECONDS * spent[1] - spent[0]
            started = time.monotonic()
            try:
                text = worker.render(conversation, min(RENDER_SECONDS, budget), **kwargs)
            except TemplateFailed as exc:
                if exc.raised:
                    raise ChatTemplateRaised(exc.reason) from None
                if budget < RENDER_SECONDS and "longer than" in exc.reason:
                    raise TemplateFailed(
                        f"rendering the chat template took {spent[0]:.0f} s over {spent[1]} "
                        "documents, past the evaluation's budget for it"
                    ) from None
                raise
            finally:
                spent[0] += time.monotonic() - started
            return text if tokenize is False else tokenizer.encode(text, add_special_tokens=False)

        tokenizer.apply_chat_template = apply_chat_template
        try:
            yield
        finally:
            del tokenizer.apply_chat_template


# -- the child ----------------------------------------------------------------------------------


def _limit_memory() -> None:
    import resource

    with open("/proc/self/status", encoding="ascii") as fh:
        size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_BYTES, size + MEMORY_BYTES))


def _serve(folder: str) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
    with contextlib.suppress(OSError, ValueError, StopIteration):
        _limit_memory()
    sys.stdout.write('{"ready": true}\n')
    sys.stdout.flush()
    for line in sys.stdin:
        ask = json.loads(line)
        reply: dict[str, str | bool]
        try:
            text = tokenizer.apply_chat_template(ask["messages"], tokenize=False, **ask["kwargs"])
            if not isinstance(text, str):
                reply = {"error": "the chat template did not render to text"}
            elif len(text) > MAX_OUTPUT_CHARS:
                reply = {
                    "error": f"the chat template rendered {len(text):,} characters for a short "
                    f"conversation; at most {MAX_OUTPUT_CHARS:,} are accepted"
                }
            else:
                reply = {"text": text}
        except MemoryError:
            reply = {"error": "rendering the chat template ran out of memory"}
        except Exception as exc:  # the template's own error: it is the model's, quoted
            reply = {
                "error": f"the chat template raised {type(exc).__name__}: {quoted(exc)}",
                "raised": True,
            }
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve(sys.argv[1])
