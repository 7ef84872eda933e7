"""Read a dataset file from disk: bytes → text → JSON → checked model, or one ``DatasetError``.

Every way a file can be unreadable (missing, too large, not UTF-8, not JSON, nested too deeply)
becomes a problem that names the file, so no caller ever shows a traceback.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geodata.errors import DatasetError, Problem
from geodata.model import Dataset
from geodata.paths import BUNDLED_DATASET
from geodata.validation import EarlyPlaces, check_document

#: Larger files are refused before reading: parsing takes about ten times the file's size in memory,
#: and 80 MB already holds over 100,000 places (the largest benchmark dataset is 71 MB).
MAX_DATASET_BYTES = 80 * 1000 * 1000


def _reject_constant(name: str) -> float:
    """JSON has no NaN or Infinity; Python's parser accepts them unless told otherwise."""
    raise ValueError(f"{name} is not a JSON number")


_SPACE = re.compile(r"[ \t\n\r]*")
#: shorter texts are parsed in one call even in the background (under 40 ms)
PIECES_FROM_CHARS = 4_000_000


class _UnusualTextError(Exception):
    """The text is not a plain JSON object (or not valid): ``json.loads`` takes over."""


#: called with (top-level key, one element of its array, the document parsed so far); returns what
#: the array keeps in the element's place
ItemHook = Callable[[str, Any, dict[str, Any]], Any]


def loads_in_pieces(text: str, item_hook: ItemHook | None = None) -> Any:
    """``json.loads(text)``, with each element of the top-level object's arrays decoded on its own.

    The result is the same, except that ``item_hook`` may replace each element as it is decoded
    (the loader turns each place into the model at once, so the raw document never exists whole).

    The reason is threads: ``json.loads`` is one C call that keeps every other Python thread
    waiting until it returns (0.8 s for 100,000 places), so a file opened in the background would
    still freeze the window. Decoding a place at a time gives the GUI thread its turn every few
    milliseconds. Anything but a well-formed object is handed to ``json.loads`` whole, so that
    invalid files get its exact error message.
    """
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    # The decoder's scanner (the C one): what raw_decode calls, minus a Python frame per place.
    scan: Callable[[str, int], tuple[Any, int]] = decoder.scan_once  # type: ignore[attr-defined]
    try:
        return _object_in_pieces(text, scan, item_hook)
    except (_UnusualTextError, StopIteration):
        return json.loads(text, parse_constant=_reject_constant)


def _skip(text: str, pos: int) -> int:
    """The position of the first character at or after ``pos`` that is not JSON whitespace."""
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _object_in_pieces(
    text: str, scan: Callable[[str, int], tuple[Any, int]], item_hook: ItemHook | None
) -> dict[str, Any]:
    pos = _skip(text, 0)
    if not text.startswith("{", pos):
        raise _UnusualTextError
    result: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        pos += 1
    else:
        while True:
            key, pos = scan(text, pos)
            if not isinstance(key, str):
                raise _UnusualTextError
            pos = _skip(text, pos)
            if not text.startswith(":", pos):
                raise _UnusualTextError
            pos = _skip(text, pos + 1)
            if text.startswith("[", pos):
                keep = None if item_hook is None else _keeper(item_hook, key, result)
                result[key], pos = _array_in_pieces(text, pos, scan, keep)
            else:
                result[key], pos = scan(text, pos)
            pos = _skip(text, pos)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
            elif text.startswith("}", pos):
                pos += 1
                break
            else:
                raise _UnusualTextError
    if _skip(text, pos) != len(text):
        raise _UnusualTextError
    return result


def _keeper(item_hook: ItemHook, key: str, document: dict[str, Any]) -> Callable[[Any], Any]:
    """What to keep of each element of ``key``'s array."""
    return lambda item: item_hook(key, item, document)


def _array_in_pieces(
    text: str, pos: int, scan: Callable[[str, int], tuple[Any, int]], keep: Callable[[Any], Any] | None
) -> tuple[list[Any], int]:
    items: list[Any] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return items, pos + 1
    while True:
        item, pos = scan(text, pos)
        items.append(item if keep is None else keep(item))
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return items, pos + 1
        else:
            raise _UnusualTextError


def parse_json_text(text: str, file: Path, background: bool = False, item_hook: ItemHook | None = None) -> Any:
    """Parse JSON, turning every parser failure into a ``DatasetError`` with line and column.

    ``background``: the caller is a background thread; a large text is parsed in pieces (see
    ``loads_in_pieces``; 60 % slower, but the other threads keep running), with ``item_hook``.
    """
    if not text.strip():
        raise DatasetError(file, [Problem("", "the file is empty; expected a JSON object")])
    try:
        if background and len(text) >= PIECES_FROM_CHARS:
            return loads_in_pieces(text, item_hook)
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise DatasetError(
            file, [Problem("", f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")]
        ) from None
    except ValueError as error:
        raise DatasetError(file, [Problem("", f"not valid JSON: {error}")]) from None
    except RecursionError:
        raise DatasetError(file, [Problem("", "not a dataset: the JSON is nested too deeply")]) from None


def read_dataset_text(file: Path, max_bytes: int = MAX_DATASET_BYTES) -> str:
    """The file's text, strictly UTF-8; size, access and encoding errors become ``DatasetError``."""
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise DatasetError(
                file,
                [
                    Problem(
                        "",
                        f"the file is {size / 1e6:.0f} MB; datasets larger than {max_bytes / 1e6:.0f} MB are refused",
                    )
                ],
            )
        if file.is_dir():
            raise DatasetError(file, [Problem("", "is a folder, not a dataset file")])
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DatasetError(file, [Problem("", "no such file")]) from None
    except PermissionError:
        raise DatasetError(file, [Problem("", "permission denied")]) from None
    except OSError as error:
        raise DatasetError(file, [Problem("", f"cannot read the file: {error.strerror or error}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DatasetError(
            file, [Problem("", f"not UTF-8 text (byte {error.start}: {error.reason}); save the file as UTF-8")]
        ) from None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    Parsing and checking a large dataset allocates millions of containers; the collector would
    traverse them again and again for nothing (half the load time at 100,000 places).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def keep_out_of_collections() -> None:
    """Leave every object alive now (a freshly loaded dataset above all) out of full collections.

    A dataset of 100,000 places is millions of objects; a full garbage collection traverses them
    all (0.9 s), and one that came in the middle of a drag froze the slider. A dataset holds no
    reference cycles, so reference counting still frees one that is replaced. Call it once the
    long-lived objects are built, not during a load.
    """
    gc.freeze()


def load_dataset(path: str | Path = BUNDLED_DATASET, background: bool = False) -> Dataset:
    """Load and validate a dataset; raise ``DatasetError`` listing every problem found.

    ``background``: called from a background thread that must not hold up the others (see
    ``parse_json_text``).
    """
    file = Path(path)
    with gc_paused():
        if background:
            # Each place becomes the model as soon as it is decoded: the raw document of 100,000
            # places (each with its own copies of the keys) never exists whole.
            early = EarlyPlaces(file.parent)
            document = parse_json_text(read_dataset_text(file), file, background, early)
            dataset, problems = check_document(document, file, early.read_source)
        else:
            document = parse_json_text(read_dataset_text(file), file, background)
            dataset, problems = check_document(document, file)
        del document
    if dataset is None:
        raise DatasetError(file, problems or [Problem("", "not a dataset")])
    return dataset
