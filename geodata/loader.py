"""Read a dataset file from disk: bytes → text → JSON → checked model, or one ``DatasetError``.

Every way a file can be unreadable (missing, too large, not UTF-8, not JSON, nested too deeply)
becomes a problem that names the file, so no caller ever shows a traceback.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geodata.errors import DatasetError, Problem
from geodata.model import Dataset
from geodata.validation import check_document

#: Larger files are refused before reading: parsing takes about ten times the file's size in memory,
#: and 80 MB already holds over 100,000 places (the largest benchmark dataset is 71 MB).
MAX_DATASET_BYTES = 80 * 1000 * 1000
BUNDLED_DATASET = Path(__file__).resolve().parent.parent / "resources" / "datasets" / "trotsky.json"


def _reject_constant(name: str) -> float:
    """JSON has no NaN or Infinity; Python's parser accepts them unless told otherwise."""
    raise ValueError(f"{name} is not a JSON number")


def parse_json_text(text: str, file: Path) -> Any:
    """Parse JSON, turning every parser failure into a ``DatasetError`` with line and column."""
    if not text.strip():
        raise DatasetError(file, [Problem("", "the file is empty; expected a JSON object")])
    try:
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


def load_dataset(path: str | Path = BUNDLED_DATASET) -> Dataset:
    """Load and validate a dataset; raise ``DatasetError`` listing every problem found."""
    file = Path(path)
    with gc_paused():
        document = parse_json_text(read_dataset_text(file), file)
        dataset, problems = check_document(document, file)
        del document
    if dataset is None:
        raise DatasetError(file, problems or [Problem("", "not a dataset")])
    return dataset
