"""PyYAML's answer for a flat ``key: value`` file, without PyYAML's per-node cost.

PyYAML's C parser hands every scalar to Python-level resolver and constructor machinery: about
60 µs per request file, three quarters of ``leaderboard queue`` at 20,000 requests. A request as
``dump_yaml`` writes it is one ``key: value`` line per field. :func:`load_flat` reads such a line
itself when its value is a one-line single-quoted string, ``[]``, ``{}`` or a plain scalar of
ordinary characters, and types a plain scalar with PyYAML's own resolver and constructors, so
each value is the one PyYAML builds. Any other entry (a nested mapping, a list, a value folded
over lines, a comment, double quotes) is parsed by PyYAML on its own. A file whose top level it
does not recognise line by line (a document marker, a directive, a comment or anything else at
column 0 that does not start an entry, a tab, a carriage return or another line break, a byte
order mark, a duplicate key, invalid UTF-8) gets ``None``: the caller parses the whole file with
PyYAML, as before.

Reading entries one by one is exact because at the top level of a block mapping every line at
column 0 that is ``key:`` starts an entry; a quoted value or a flow collection still open at
such a line leaves its own entry unterminated, which PyYAML refuses, and then the whole file
goes to PyYAML.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
#: A key; PyYAML refuses a simple key over 1024 characters, hence the bound.
_KEY = r"[a-z_][a-z0-9_]{0,63}"
#: A one-line single-quoted string: no escapes but the doubled quote.
_QUOTED = r"'(?:[^'\n]|'')*'"
#: A plain scalar that means the same in every block context: no ``:``, ``#``, quote or leading
#: indicator, no space at either end or two in a row.
_PLAIN = r"[A-Za-z0-9_][A-Za-z0-9_.+/@()=,-]*(?: [A-Za-z0-9_.+/@()=,-]+)*"
_VALUE = rf"({_QUOTED})|(\[\]|\{{\}})|({_PLAIN})"
_ENTRY = re.compile(rf"({_KEY}):(?: (.*))?")
_ONE_LINE = re.compile(_VALUE)
#: A whole line whose value needs no PyYAML.
_SIMPLE_LINE = re.compile(rf"^({_KEY}): (?:{_VALUE})\n", re.M)
#: Characters outside this set (tabs, carriage returns, YAML's other line breaks, the byte order
#: mark, what YAML forbids) send the whole file to PyYAML.
_UNUSUAL = re.compile(
    r"[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)

_resolver = yaml.resolver.Resolver()
_constructor = yaml.SafeLoader("")


def _plain(value: str) -> Any:
    """The value PyYAML gives the plain scalar ``value`` (text, a number, a boolean, a date…)."""
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    construct = _constructor.yaml_constructors.get(tag)
    if construct is None:  # `=`, YAML 1.1's value key: the safe loader has no constructor for it
        raise ValueError(f"no constructor for {tag}")
    return construct(_constructor, yaml.ScalarNode(tag, value))


#: Short values recur (``bfloat16``, ``FAILED``, ``false``): typed once. Long ones are not kept.
_plain_short = functools.lru_cache(maxsize=4096)(_plain)


def _scalar(quoted: str, empty: str, plain: str) -> Any:
    if quoted:
        return quoted[1:-1].replace("''", "'")
    if plain:
        return _plain_short(plain) if len(plain) <= 64 else _plain(plain)
    return [] if empty == "[]" else {}


def load_flat(data: bytes) -> dict[str, Any] | None:
    """The mapping PyYAML's safe loader reads from ``data``, or ``None`` when this reader
    cannot tell (the caller then parses with PyYAML)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _UNUSUAL.search(text):
        return None
    out: dict[str, Any] = {}
    try:
        simple = _SIMPLE_LINE.findall(text)
        if simple and len(simple) == text.count("\n") and text.endswith("\n"):
            # Every line is an entry with a one-line value: the files the project writes.
            for key, quoted, empty, plain in simple:
                out[key] = _scalar(quoted, empty, plain)
            count = len(simple)
        else:
            entries = _entries(text)
            if not entries:
                return None
            for key, first, more in entries:
                out[key] = _value(key, first, more)
            count = len(entries)
    except (_Refused, yaml.YAMLError, ValueError, OverflowError):
        return None
    if len(out) != count or not _text_keys(out):  # a duplicate, or a key such as `on: …`
        return None
    return out


class _Refused(Exception):
    """An entry PyYAML reads as something other than one ``key: value``."""


def _value(key: str, first: str | None, more: list[str]) -> Any:
    one = _ONE_LINE.fullmatch(first) if first is not None and not any(more) else None
    if one:
        return _scalar(*one.groups())
    text = f"{key}:{'' if first is None else ' ' + first}\n" + "".join(f"{m}\n" for m in more)
    parsed = yaml.load(text, Loader=_Loader)  # noqa: S506 (the safe loader)
    if not isinstance(parsed, dict) or list(parsed) != [key]:
        raise _Refused(key)
    return parsed[key]


def _entries(text: str) -> list[tuple[str, str | None, list[str]]] | None:
    """The top-level entries, each with its first line's value and the lines under it."""
    entries: list[tuple[str, str | None, list[str]]] = []
    for line in text.removesuffix("\n").split("\n"):
        match = _ENTRY.fullmatch(line)
        if match:
            entries.append((match.group(1), match.group(2), []))
        elif entries and (not line or line[0] == " " or line == "-" or line.startswith("- ")):
            entries[-1][2].append(line)
        else:
            return None
    return entries


#: Keys already known to be text to YAML (not ``on``, ``null``, ``yes``…).
_TEXT_KEYS: set[str] = set()


def _text_keys(out: dict[str, Any]) -> bool:
    for key in out.keys() - _TEXT_KEYS:
        if _plain_short(key) != key:
            return False
        _TEXT_KEYS.add(key)
    return True
