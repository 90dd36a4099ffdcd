"""A small Lexicon validator: checks the records Chorus builds against Bluesky's own schemas.

It covers what our records use (objects, strings with byte and grapheme limits, integers, arrays,
refs, unions, blobs) from ../shared/fixtures/bluesky/lexicons. An unknown ref is an error, so a
record that grows a field the schemas do not describe fails loudly.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import regex

LEXICONS = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "bluesky" / "lexicons"
)

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
FORMATS = {
    "datetime": DATETIME,
    "uri": re.compile(r"^[a-z][a-z0-9+.-]*:\S+$"),
    "at-uri": re.compile(r"^at://[^/\s]+(/[^/\s]+(/[^/\s]+)?)?$"),
    "did": re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]+$"),
    "cid": re.compile(r"^[a-zA-Z0-9]{8,}$"),
    "language": re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$"),
}


class Invalid(AssertionError):
    pass


@cache
def _document(nsid: str) -> dict[str, Any]:
    path = Path(LEXICONS) / f"{nsid}.json"
    if not path.exists():
        raise Invalid(f"no lexicon {nsid} in the fixtures")
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


def definition(ref: str, context: str = "") -> tuple[str, dict[str, Any]]:
    """Resolve ``nsid#name``, ``#name`` (relative to ``context``) or ``nsid`` (its main)."""
    nsid, _, name = ref.partition("#")
    nsid = nsid or context
    defs = _document(nsid)["defs"]
    if (name or "main") not in defs:
        raise Invalid(f"{ref} is not defined")
    return nsid, defs[name or "main"]


def validate_record(nsid: str, value: dict[str, Any]) -> None:
    _, main = definition(nsid)
    assert main["type"] == "record", f"{nsid} is not a record type"
    if value.get("$type") != nsid:
        raise Invalid(f"$type must be {nsid}")
    _check(main["record"], value, nsid, nsid)


def validate(ref: str, value: Any) -> None:
    """Check ``value`` against a named definition, e.g. ``nsid#notification``."""
    nsid, schema = definition(ref)
    _check(schema, value, ref, nsid)


def _check(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    kind = schema["type"]
    checker = _CHECKERS.get(kind)
    if checker is None:
        raise Invalid(f"{where}: the validator does not know type {kind}")
    checker(schema, value, where, nsid)


def _object(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    if not isinstance(value, dict):
        raise Invalid(f"{where}: expected an object")
    for key in schema.get("required", []):
        if key not in value:
            raise Invalid(f"{where}: {key} is required")
    for key, sub in schema.get("properties", {}).items():
        if key in value:
            _check(sub, value[key], f"{where}.{key}", nsid)


def _string(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    if not isinstance(value, str):
        raise Invalid(f"{where}: expected a string")
    if "maxLength" in schema and len(value.encode("utf-8")) > schema["maxLength"]:
        raise Invalid(f"{where}: longer than {schema['maxLength']} bytes")
    if "maxGraphemes" in schema and len(regex.findall(r"\X", value)) > schema["maxGraphemes"]:
        raise Invalid(f"{where}: longer than {schema['maxGraphemes']} graphemes")
    pattern = FORMATS.get(schema.get("format", ""))
    if pattern is not None and not pattern.match(value):
        raise Invalid(f"{where}: {value!r} is not a valid {schema['format']}")


def _integer(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(f"{where}: expected an integer")
    if value < schema.get("minimum", value) or value > schema.get("maximum", value):
        raise Invalid(f"{where}: {value} out of range")


def _boolean(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    if not isinstance(value, bool):
        raise Invalid(f"{where}: expected a boolean")


def _array(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    if not isinstance(value, list):
        raise Invalid(f"{where}: expected an array")
    if len(value) > schema.get("maxLength", len(value)):
        raise Invalid(f"{where}: more than {schema['maxLength']} items")
    for index, item in enumerate(value):
        _check(schema["items"], item, f"{where}[{index}]", nsid)


def _ref(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    target_nsid, target = definition(schema["ref"], nsid)
    _check(target, value, where, target_nsid)


def _union(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("$type"), str):
        raise Invalid(f"{where}: a union member needs a $type")
    wanted = value["$type"]
    for ref in schema["refs"]:
        ref_nsid, target = definition(ref, nsid)
        name = ref.partition("#")[2]
        full = f"{ref_nsid}#{name}" if name and name != "main" else ref_nsid
        if wanted == full:
            _check(target, value, where, ref_nsid)
            return
    raise Invalid(f"{where}: $type {wanted} is not one of {schema['refs']}")


def _blob(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    if not isinstance(value, dict) or value.get("$type") != "blob":
        raise Invalid(f"{where}: expected a blob")
    if not isinstance(value.get("ref"), dict) or not isinstance(value["ref"].get("$link"), str):
        raise Invalid(f"{where}: a blob needs ref.$link")
    mime = value.get("mimeType", "")
    accept = schema.get("accept", ["*/*"])
    if not any(re.fullmatch(a.replace("*", ".*"), mime) for a in accept):
        raise Invalid(f"{where}: {mime} is not accepted ({accept})")
    if value.get("size", 0) > schema.get("maxSize", value.get("size", 0)):
        raise Invalid(f"{where}: larger than {schema['maxSize']} bytes")


def _unknown(schema: dict[str, Any], value: Any, where: str, nsid: str) -> None:
    return None


_CHECKERS = {
    "object": _object,
    "string": _string,
    "integer": _integer,
    "boolean": _boolean,
    "array": _array,
    "ref": _ref,
    "union": _union,
    "blob": _blob,
    "unknown": _unknown,
}
