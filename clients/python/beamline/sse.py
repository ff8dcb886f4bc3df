"""A small Server-Sent Events parser shared by the sync and async clients."""

from __future__ import annotations

import json
from typing import Iterator, List, Optional, Tuple


class SseParser:
    """Feed it text; it hands back complete events as (id, event, data)."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, text: str) -> List[Tuple[int, str, dict]]:
        self._buffer += text.replace("\r\n", "\n")
        events = []
        while "\n\n" in self._buffer:
            block, self._buffer = self._buffer.split("\n\n", 1)
            parsed = _parse(block)
            if parsed:
                events.append(parsed)
        return events


def _parse(block: str) -> Optional[Tuple[int, str, dict]]:
    event_id, name, data = None, "message", None
    for line in block.split("\n"):
        if line.startswith("id: "):
            event_id = int(line[4:])
        elif line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = json.loads(line[6:])
    if event_id is None or data is None:
        return None
    return event_id, name, data


def iter_events(chunks: Iterator[str]) -> Iterator[Tuple[int, str, dict]]:
    parser = SseParser()
    for chunk in chunks:
        yield from parser.feed(chunk)
