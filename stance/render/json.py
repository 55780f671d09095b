"""JSON output: the result's ``to_dict()`` (or a plain dict), one object on one stream."""

from __future__ import annotations

import json
from typing import Any, TextIO


def dumps(result: Any) -> str:
    data = result if isinstance(result, dict) else result.to_dict()
    return json.dumps(data, ensure_ascii=False, indent=2)


def write(result: Any, stream: TextIO) -> None:
    stream.write(dumps(result) + "\n")
