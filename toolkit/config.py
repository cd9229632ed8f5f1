"""pipeline.toml: options with their defaults, validation, fingerprints, and the commented template.

Each stage declares its switches as a frozen dataclass deriving from `Options`, one field per switch,
with `option(default, "why")` (the model is ftfy's TextFixerConfig). This module turns a TOML table
into such an object, refusing unknown keys and wrong types with a message that names them, and
writes the template `ctk init` puts in a new project, every default spelled out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["ConfigError", "Options", "ProjectOptions", "fingerprint", "load_toml", "option", "render_template"]

CONFIG_FILE = "pipeline.toml"
OptionsT = TypeVar("OptionsT", bound="Options")


class ConfigError(ValueError):
    """pipeline.toml is unreadable or holds a key or value the pipeline does not know."""


def option(default: Any, help: str) -> Any:
    """A switch with its default and a one-line reason, shown in the generated pipeline.toml."""
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata={"help": help})
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Options:
    """Base of every stage's options."""

    @classmethod
    def from_table(cls: type[OptionsT], table: Mapping[str, Any], section: str) -> OptionsT:
        known = {f.name: f for f in dataclasses.fields(cls)}
        values = {}
        for key, value in table.items():
            if key not in known:
                raise ConfigError(f"[{section}] has no option {key!r}; known: {', '.join(sorted(known))}")
            expected = type(_default(known[key]))
            ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
            if not ok or (expected is int and isinstance(value, bool)):
                raise ConfigError(
                    f"[{section}] {key} must be {expected.__name__}, not {type(value).__name__} ({value!r})"
                )
            values[key] = float(value) if expected is float else value
        try:
            return cls(**values)
        except ValueError as error:  # raised by a __post_init__ check
            raise ConfigError(f"[{section}] {error}") from None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ProjectOptions(Options):
    name: str = option("", "dataset name used by publish; empty means the project folder's name")
    version: str = option("0.1.0", "version `ctk run` publishes; a published version is immutable")


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    factory: Any = f.default_factory
    return factory()


def load_toml(path: Path) -> dict[str, Any]:
    """Read pipeline.toml; a missing file means all defaults."""
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def fingerprint(*parts: Any) -> str:
    """A hash of JSON-able values, stable across runs and machines."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    return repr(value)


def render_template(sections: Mapping[str, type[Options]]) -> str:
    """The commented pipeline.toml of a new project: every option with its default and meaning."""
    lines = [
        "# corpus-toolkit pipeline configuration.",
        "# Every option is listed with its default; delete a line to keep the default.",
        "# A stage reruns only when its own section (or its input) changes.",
    ]
    for section, cls in sections.items():
        lines += ["", f"[{section}]"]
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            lines.append(f"# {cls.__doc__.strip().splitlines()[0]}")
        for f in dataclasses.fields(cls):
            lines.append(f"# {f.metadata.get('help', '')}")
            lines.append(f"{f.name} = {_toml_value(_default(f))}")
    return "\n".join(lines) + "\n"
