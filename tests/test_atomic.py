"""A writer killed in the middle of a write leaves the old file intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.atomic import write_bytes_atomic, write_text_atomic

ROOT = Path(__file__).resolve().parent.parent

# The child writes 64 MB in 1 MB pieces, pausing between them, so the parent can kill it mid-write.
CHILD = """
import sys, time
from pathlib import Path
import geodata.atomic as atomic

class SlowFile:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)
    def write(self, data):
        for start in range(0, len(data), 1 << 20):
            self.handle.write(data[start:start + (1 << 20)])
            self.handle.flush()
            print("chunk", flush=True)
            time.sleep(0.05)
    def flush(self):
        self.handle.flush()
    def fileno(self):
        return self.handle.fileno()

real_fdopen = atomic.os.fdopen
atomic.os.fdopen = lambda *a, **k: SlowFile(real_fdopen(*a, **k))
atomic.write_bytes_atomic(Path(sys.argv[1]), b"N" * (64 << 20))
"""


def test_killed_writer_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "dataset.json"
    target.write_text('{"old": true}', encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target)], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    for _ in range(3):  # let it write a few megabytes into the temporary file
        assert child.stdout.readline() == "chunk\n"
    temporaries = list(tmp_path.glob(".dataset.json.*.tmp"))
    assert temporaries and temporaries[0].stat().st_size >= 2 << 20
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()
    assert target.read_text(encoding="utf-8") == '{"old": true}'


def test_a_failed_write_removes_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def no_space(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomic(target, b"new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "sub" / "fresh.txt"
    write_text_atomic(fresh, "x")
    assert fresh.stat().st_mode & 0o777 == 0o644
