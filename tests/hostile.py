"""A dataset whose every text field carries markup and script, for tests that prove it stays text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAYLOADS = (
    '<img src=x onerror="window.__pwned = 1">',
    "<script>window.__pwned = 2</script>",
    "</script><script>window.__pwned = 3</script>",
    "`${window.__pwned = 4}` ' \" \u2028\u2029 &amp; &",
    "<img src=x onerror=\"bridge.clickPlace('safe')\">",
    '<a href="javascript:window.__pwned = 5">link</a>',
)


def hostile_document(folder: Path) -> Path:
    """Write a dataset with one hostile place per payload (plus a harmless one) into ``folder``."""
    text = "Intro. " + " ".join(f"Excerpt {i}: {payload}." for i, payload in enumerate(PAYLOADS))
    (folder / "hostile.txt").write_text(text, encoding="utf-8")
    places: list[dict[str, Any]] = [
        {
            "id": "safe",
            "name": "Safe",
            "lat": 50.0,
            "lon": 10.0,
            "granularity": "city",
            "stays": [
                {
                    "start": "1900",
                    "end": "1900",
                    "kind": "residence",
                    "certainty": "stated",
                    "summary": "Nothing here.",
                    "excerpts": [{"source": "h", "offset": 0, "text": "Intro."}],
                }
            ],
        }
    ]
    for i, payload in enumerate(PAYLOADS):
        quote = f"Excerpt {i}: {payload}."
        places.append(
            {
                "id": f"hostile-{i}",
                "name": payload,
                "names": [{"name": payload + " (old)", "to": "1905"}],
                "lat": 40.0 + i,
                "lon": 20.0 + 3 * i,
                "granularity": "city",
                "note": payload,
                "stays": [
                    {
                        "start": "1900",
                        "end": "1910",
                        "kind": "residence",
                        "certainty": "stated",
                        "summary": payload,
                        "calendar": payload,
                        "excerpts": [{"source": "h", "offset": text.index(quote), "text": quote}],
                    }
                ],
            }
        )
    document = {
        "format": "trotsky-map-dataset",
        "version": 1,
        "title": PAYLOADS[0],
        "sources": [{"id": "h", "title": PAYLOADS[1], "author": PAYLOADS[2], "licence": "x", "file": "hostile.txt"}],
        "places": places,
    }
    path = folder / "hostile.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path
