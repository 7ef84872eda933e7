"""Work in a background thread whose result comes back as a Qt signal, in the receiver's thread.

One pattern for the app's background jobs (File › Open, journey distances): a daemon thread runs
the job and emits the signal with what it returns; Qt queues the emission to the thread of the
signal's object (the GUI thread). A receiver deleted meanwhile (the window was closed) makes the
emission raise ``RuntimeError``, which only means nobody is left to tell.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import SignalInstance

log = logging.getLogger(__name__)


def run_in_thread(name: str, job: Callable[[], tuple[object, ...]], report: SignalInstance) -> None:
    """Run ``job`` in a new daemon thread called ``name`` and emit ``report(*job())``."""

    def work() -> None:
        result = job()
        try:
            report.emit(*result)
        except RuntimeError:  # the receiver was deleted meanwhile
            log.debug("%s finished after its receiver was deleted", name)

    threading.Thread(target=work, name=name, daemon=True).start()
