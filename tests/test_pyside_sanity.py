"""Guards against a Qt binding that would crash the app after long use.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference; each emit
from Python drops a reference to ``True`` until CPython aborts with "bool_dealloc". The app emits a
signal on every slider step, so a long session would crash. The project pins a release without the
bug; this test fails if an upgrade brings it back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(int)


def test_emitting_signals_keeps_reference_counts(qapp: object) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)
    before_true, before_false = sys.getrefcount(True), sys.getrefcount(False)
    for value in range(1000):
        emitter.changed.emit(value)
    assert len(received) == 1000
    assert abs(sys.getrefcount(True) - before_true) < 10
    assert abs(sys.getrefcount(False) - before_false) < 10
