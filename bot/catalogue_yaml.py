"""Reading and writing catalogue YAML so that what staff wrote is kept exactly.

Plain YAML 1.1 (PyYAML's `safe_load`) turns `2026-11-01` into a date, `0700` into the
octal number 448, `8:00` into 480 and `no` into False. The catalogue loader resolves
only the YAML 1.2 core forms (`true`/`false`, `null`, decimal numbers without leading
zeros); dates and times stay the text the user wrote, and the validator parses them.
Duplicate keys in one mapping are reported instead of silently keeping the last.

The dumper writes standard YAML: dates and date-times plain (a YAML 1.1 reader sees
dates, this loader sees the same text), every other string quoted whenever a YAML 1.1
reader could mistake it for something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class DuplicateKey:
    line: int  # 1-based
    key: str


class CatalogueLoader(yaml.SafeLoader):
    """Safe loading with YAML 1.2 core scalars and duplicate-key detection."""

    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.duplicate_keys: list[DuplicateKey] = []

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    is_duplicate = key in seen
                except TypeError:
                    raise ConstructorError(
                        None, None, "en nøgle skal være tekst", key_node.start_mark
                    ) from None
                if is_duplicate:
                    self.duplicate_keys.append(DuplicateKey(key_node.start_mark.line + 1, str(key)))
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _resolver(tag: str, pattern: str, first: str) -> None:
    CatalogueLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL)$", "~nN")
CatalogueLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])
_resolver("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789")
_resolver(
    "tag:yaml.org,2002:float",
    r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    "-+0123456789.",
)
_resolver("tag:yaml.org,2002:merge", r"^(?:<<)$", "<")


def load(text: str) -> tuple[Any, list[DuplicateKey]]:
    """Parse one YAML document; yaml.YAMLError on bad syntax."""
    loader = CatalogueLoader(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


# ---------------------------------------------------------------- writing


class FlowMap(dict):
    """A mapping written on one line: `{street: ..., postcode: '2620', town: ...}`."""


class FlowList(list):
    """A list written on one line: `[citizen, staff]`."""


class PlainDate(str):
    """A date or date-time as the user wrote it, written unquoted like YAML's own dates."""


class CatalogueDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write them by hand.
        super().increase_indent(flow, False)


def _represent_flow_map(dumper: yaml.SafeDumper, data: FlowMap) -> Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: FlowList) -> Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_plain_date(dumper: yaml.SafeDumper, data: PlainDate) -> Node:
    # Only what a YAML reader itself takes for a timestamp may go unquoted; e.g. a time
    # without seconds ("2027-03-11T16:30+01:00") is written as an ordinary string.
    text = str(data)
    tag = TIMESTAMP_TAG if dumper.resolve(ScalarNode, text, (True, False)) == TIMESTAMP_TAG else STR_TAG
    return dumper.represent_scalar(tag, text)


_NUMBER_LIKE = re.compile(r"^[-+]?[0-9][0-9_.:]*$")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> Node:
    # "0800" is text to YAML 1.1 but the number 800 to YAML 1.2 readers: quote anything number-like.
    style = "'" if _NUMBER_LIKE.match(data) else None
    return dumper.represent_scalar(STR_TAG, data, style=style)


CatalogueDumper.add_representer(str, _represent_str)
CatalogueDumper.add_representer(FlowMap, _represent_flow_map)
CatalogueDumper.add_representer(FlowList, _represent_flow_list)
CatalogueDumper.add_representer(PlainDate, _represent_plain_date)


def dump(document: dict) -> str:
    return yaml.dump(
        document,
        Dumper=CatalogueDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
        indent=2,
    )
