"""Reading and writing the repository's YAML files safely, with line numbers.

Request and curation files come from strangers' pull requests, so they are parsed as data and
nothing more: PyYAML's safe loader, no aliases or anchors (billion laughs), no explicit tags
(``!!python/object``), no duplicate keys, bounded size and depth, UTF-8 only. Every error
carries the file, the line and the field, because a submitter has to find what to fix.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from ..core.errors import ValidationFailed
from ..core.models import Problem, json_ready, problem
from ..core.rules import Rule

#: Request and curation files are small; anything bigger is a mistake or an attack.
MAX_BYTES = 64 * 1024
MAX_DEPTH = 16
MAX_ITEMS = 1000

#: libyaml's parser when PyYAML was built with it (the wheels are): the pure-Python scanner
#: takes seconds on a 64 KiB hostile file, libyaml milliseconds. Both yield the same events
#: (their error wording differs a little). Only nodes are composed here, never objects: the
#: builder below constructs each scalar, so libyaml's parser needs no constructor.
try:
    from yaml._yaml import CParser as _BaseLoader
except ImportError:  # a PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]
_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
#: PyYAML's resolver, typed as its stubs leave it untyped: a scalar's text to its tag.
_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = _RESOLVER.resolve
#: The type of each short plain scalar seen (``bfloat16``, ``FAILED``, ``false``, every key):
#: these recur across files. Longer values, and more than this many, are resolved each time.
_MEMO_CHARS, _MEMO_SIZE = 64, 8192
_resolved: dict[str, str] = {}


class _Loader(_BaseLoader):
    """The safe loader's parser and resolver, with the resolver's answers remembered.

    Resolution is a pure function of a scalar's text when it is plain, and a quoted scalar is
    always text; the safe loader has no path resolvers, so descending and ascending the tree
    has nothing to track. None of this changes a value: it spares the per-node Python calls
    that were most of the time spent composing a request file.
    """

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return _resolve(kind, value, implicit)
        if not implicit[0]:
            return _STR
        tag = _resolved.get(value)
        if tag is None:
            tag = _resolve(kind, value, implicit)
            if len(value) <= _MEMO_CHARS and len(_resolved) < _MEMO_SIZE:
                _resolved[value] = tag
        return tag

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """Nothing to track: the safe loader has no path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing to track: the safe loader has no path resolvers."""


#: Characters without which a YAML text can hold no anchor (``&``), alias (``*``) or tag (``!``,
#: directives included).
_EVENT_CHARS = re.compile(r"[&*!]")
#: Characters YAML 1.1 allows in a stream (its "printable" set); checked here so the error is
#: the same, and well located, whichever parser runs.
_NOT_PRINTABLE = re.compile(
    r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)

KeyPath = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


def _fail(
    path: str, rule: Rule, message: str, line: int | None = None, field: str | None = None
) -> NoReturn:
    raise ValidationFailed([problem(path, rule, message, line=line, field=field)])


def _decode(path: str, data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        _fail(
            path, Rule.size, f"the file is {len(data):,} bytes; at most {max_bytes:,} are allowed"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        _fail(
            path,
            Rule.encoding,
            "the file starts with a byte-order mark: save it as UTF-8 without BOM",
            1,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(path, Rule.encoding, "the file is UTF-16: save it as UTF-8", 1)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        _fail(path, Rule.encoding, "the file contains a NUL byte", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _fail(
            path, Rule.encoding, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line
        )
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        char = f"U+{ord(bad.group()):04X}"
        _fail(
            path, Rule.encoding, f"the file contains the character {char}, which YAML forbids", line
        )
    return text


def _needs_event_scan(text: str) -> bool:
    """Whether ``text`` could hold what only the event scan refuses before composing: an
    anchor, an alias or a tag (each needs its character), or flow collections nested deeper
    than the builder may recurse (each level needs a bracket). Nothing else differs: the builder
    bounds depth and sizes itself, so a text without these is refused or accepted alike."""
    return bool(_EVENT_CHARS.search(text)) or text.count("[") + text.count("{") > MAX_DEPTH


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events (``yaml.parse``, with this module's parser)."""
    parser = _BaseLoader(text)
    try:
        while (event := parser.get_event()) is not None:
            yield event
    finally:
        parser.dispose()


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree (``yaml.compose``, with this module's loader)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _check_events(path: str, text: str) -> None:
    """Refuse aliases, anchors, explicit tags, deep nesting and huge collections early.

    Depth is bounded here, on the flat event stream: composing a node tree recurses once per
    level, so 30,000 nested brackets (which fit in the size limit) would otherwise end in a
    RecursionError instead of a clear error. Collection sizes are bounded because every entry
    costs a Python object and, when it is wrong, a problem: thousands of unknown keys made
    reading one file slow enough to matter.
    """
    open_: list[list[int]] = []  # per open collection: [children so far, children allowed]
    try:
        for event in _events(text):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                continue
            if isinstance(event, yaml.NodeEvent) and open_:
                if len(open_) > MAX_DEPTH:
                    _fail(path, Rule.yaml, _TOO_DEEP, line)
                open_[-1][0] += 1
                if open_[-1][0] > open_[-1][1]:
                    _fail(path, Rule.yaml, _TOO_MANY, line)
            if isinstance(event, yaml.MappingStartEvent):
                open_.append([0, 2 * MAX_ITEMS])  # a key and a value per entry
            elif isinstance(event, yaml.SequenceStartEvent):
                open_.append([0, MAX_ITEMS])
            if isinstance(event, yaml.AliasEvent):
                _fail(path, Rule.yaml, f"YAML aliases (*{event.anchor}) are not allowed", line)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                _fail(path, Rule.yaml, f"YAML anchors (&{anchor}) are not allowed", line)
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit_tag = tag is not None and (
                implicit is False or (isinstance(implicit, tuple) and not any(implicit))
            )
            if explicit_tag:
                _fail(path, Rule.yaml, f"YAML tags ({tag}) are not allowed", line)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        _fail(path, Rule.yaml, f"this is not valid YAML: {exc.problem}", line)
    except yaml.YAMLError as exc:  # unlocated errors; forbidden characters are caught earlier
        _fail(path, Rule.yaml, f"this is not valid YAML: {exc}")


_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
_TOO_MANY = f"more than {MAX_ITEMS:,} entries in one list or mapping"
#: Scalars are built by PyYAML's own safe constructors, called directly: a scalar's constructor
#: keeps no state (``construct_object`` would remember every node it built).
_constructor = yaml.constructor.SafeConstructor()


def _construct(tag: str, value: str) -> Any:
    construct = _constructor.yaml_constructors.get(tag)
    if construct is None:  # `<<` or `=` as a value: the safe loader has no constructor for it
        problem = f"could not determine a constructor for the tag {tag!r}"
        raise yaml.constructor.ConstructorError(None, None, problem)
    return construct(_constructor, yaml.ScalarNode(tag, value))


#: A short scalar of a type other than text (immutable: a number, a date, true…), built once.
_typed_scalar = functools.lru_cache(maxsize=_MEMO_SIZE)(_construct)


class _Builder:
    """Builds plain Python data from a composed node tree and remembers each key's line.

    It bounds depth and collection sizes itself (as the event scan does), so that a text the
    event scan is spared (:func:`_needs_event_scan`) is held to the same limits.
    """

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[KeyPath, int] = {}

    def build(self, node: yaml.Node, where: KeyPath = ()) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(where, line)
        if len(where) > MAX_DEPTH:
            _fail(self.path, Rule.yaml, _TOO_DEEP, line)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, where)
        if len(node.value) > MAX_ITEMS:
            _fail(self.path, Rule.yaml, _TOO_MANY, line)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*where, i)) for i, item in enumerate(node.value)]
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                _fail(self.path, Rule.yaml, "mapping keys must be plain strings", key_line)
            key = key_node.value if key_node.tag == _STR else self._scalar(key_node, where)
            if not isinstance(key, str):
                _fail(self.path, Rule.yaml, f"the key {key!r} must be a string", key_line)
            if key in out:
                field = ".".join(str(p) for p in (*where, key))
                _fail(self.path, Rule.yaml, f"the key '{key}' appears twice", key_line, field)
            at = (*where, key)
            self.lines[at] = key_line
            if isinstance(value_node, yaml.ScalarNode) and len(at) <= MAX_DEPTH:
                # What build() does, without its calls: most values are text.
                tag = value_node.tag
                out[key] = value_node.value if tag == _STR else self._scalar(value_node, at)
            else:
                out[key] = self.build(value_node, at)
        return out

    def _scalar(self, node: yaml.ScalarNode, where: KeyPath) -> Any:
        """Construct one scalar; PyYAML raises plain ValueError for '2026-13-45' or '0x_'."""
        if node.tag == _STR:
            return node.value
        try:
            if len(node.value) <= _MEMO_CHARS:
                return _typed_scalar(node.tag, node.value)
            return _construct(node.tag, node.value)
        except (yaml.constructor.ConstructorError, ValueError, OverflowError) as exc:
            why = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
            field = ".".join(str(p) for p in where) or None
            line = node.start_mark.line + 1
            message = f"unsupported YAML value {node.value!r}: {why}"
            _fail(self.path, Rule.yaml, message, line, field)


def load_yaml(path: str, data: bytes, max_bytes: int = MAX_BYTES) -> tuple[Any, dict[KeyPath, int]]:
    """Parse untrusted YAML into plain data and a map from key path to 1-based line.

    The one strict YAML reader: every request and curation file is read here, from a pull
    request or from main, so a file is accepted or refused alike wherever it is read.
    """
    text = _decode(path, data, max_bytes)
    if _needs_event_scan(text):
        _check_events(path, text)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        _fail(path, Rule.yaml, f"this is not valid YAML: {exc.problem}", line)
    except yaml.YAMLError as exc:
        _fail(path, Rule.yaml, f"this is not valid YAML: {exc}")
    if node is None:
        _fail(path, Rule.yaml, "the file is empty", 1)
    builder = _Builder(path)
    return builder.build(node), builder.lines


#: Why a plain scalar is not text: YAML typed it, not the person who wrote it.
_QUOTE = "put it in quotes"
_NOT_TEXT_HINTS: dict[type, str] = {
    int: f"YAML reads it as a number: {_QUOTE}",
    float: f"YAML reads it as a number: {_QUOTE}",
    bool: f"YAML reads it as true/false: {_QUOTE}",
    datetime: f"YAML reads it as a date and time: {_QUOTE}",
    date: f"YAML reads it as a date: {_QUOTE}",
    type(None): "the value is empty",
}


def line_at(lines: dict[KeyPath, int], loc: Iterable[str | int]) -> int | None:
    """The line of the key at ``loc``, or of its nearest parent that has one."""
    key = tuple(loc)
    for end in range(len(key), -1, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return None


def problems_from_pydantic(
    path: str, exc: PydanticValidationError, lines: dict[KeyPath, int]
) -> list[Problem]:
    """Turn pydantic's errors into located, readable problems."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or None
        kind = err["type"]
        if kind == "extra_forbidden":
            message = f"unknown field '{loc[-1]}': remove it or check its spelling"
        elif kind == "missing":
            message = f"the field '{loc[-1]}' is required"
        else:
            msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
            if (
                "input" in err
                and kind not in ("value_error",)
                and not isinstance(err["input"], dict)
            ):
                msg = f"{msg} (got {err['input']!r})"
            hint = _NOT_TEXT_HINTS.get(type(err.get("input")))
            if kind == "string_type" and hint:  # `submitter: 12345`, `revision: 0123456` (octal!)
                msg += f"; {hint}"
            message = msg
        problems.append(problem(path, Rule.schema, message, line=line_at(lines, loc), field=field))
    return problems


def parse_model(model: type[ModelT], path: str, data: bytes, max_bytes: int = MAX_BYTES) -> ModelT:
    """Parse untrusted YAML bytes into ``model``; raise ValidationFailed with located problems."""
    value, lines = load_yaml(path, data, max_bytes)
    if not isinstance(value, dict):
        _fail(path, Rule.schema, "the file must be a YAML mapping of field: value", 1)
    try:
        return model.model_validate(value)
    except PydanticValidationError as exc:
        raise ValidationFailed(problems_from_pydantic(path, exc, lines)) from None


def read_model(model: type[ModelT], file: Path, label: str | None = None) -> ModelT:
    """Read and parse one file. ``label`` is the path shown in errors (repository-relative)."""
    label = label or str(file)
    if file.is_symlink():
        _fail(label, Rule.path, "symbolic links are not allowed in the repository's data files")
    if file.exists() and not file.is_file():  # a folder or a submodule where a file should be
        _fail(label, Rule.path, "this is not a regular file")
    with file.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    return parse_model(model, label, data)


def dump_yaml(value: BaseModel | dict[str, Any]) -> str:
    """Serialise in field order, UTF-8, block style: what a person would write by hand."""
    return yaml.safe_dump(
        json_ready(value), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
