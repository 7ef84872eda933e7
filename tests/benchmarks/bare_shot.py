"""The floor of ``trotsky-map --screenshot``: a bare QWebEngineView showing an empty page, saved with
the app's own settling rule (grab every ``SETTLE_MS`` until two grabs in a row are identical).

``python -m tests.benchmarks.bare_shot OUT.png``; the runner times the whole process, as it times
the app's, so the ratio of the two is what start-up costs beyond QtWebEngine itself.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(out: Path) -> int:
    from app.environment import install_qt_message_handler, prepare_qt_environment, use_software_rendering

    prepare_qt_environment(offscreen=True)
    install_qt_message_handler()
    use_software_rendering()
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    from app.capture import save_when_stable

    application = QApplication(sys.argv[:1])
    view = QWebEngineView()
    view.resize(1280, 800)
    status = 1

    def done(ok: bool, _message: str) -> None:
        nonlocal status
        status = 0 if ok else 1
        application.quit()

    def titled(title: str) -> None:
        if title == "painted":
            save_when_stable(view, out, done)

    view.loadFinished.connect(
        lambda _ok: view.page().runJavaScript("requestAnimationFrame(function () { document.title = 'painted'; }); 1")
    )
    view.titleChanged.connect(titled)
    view.show()
    view.setHtml("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>")
    application.exec()
    view.close()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the page before its profile
    return status


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
