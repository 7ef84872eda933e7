"""A locked-down QWebEnginePage: only our own page, no pop-ups, console messages into ``logging``.

Following Qt's markdowneditor ``PreviewPage`` and qutebrowser: navigation away from the app's origin
is refused and links go to the desktop browser; JavaScript console errors are logged as errors and
re-emitted so tests (and the status bar) can notice them.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings

from app.web.scheme import HOST, SCHEME

log = logging.getLogger(__name__)

_LEVELS = {
    QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel: logging.INFO,
    QWebEnginePage.JavaScriptConsoleMessageLevel.WarningMessageLevel: logging.WARNING,
    QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel: logging.ERROR,
}


class MapPage(QWebEnginePage):
    """The page of the map view.

    Signals:
        javaScriptError(str): the page logged a console error (message, with source and line).
    """

    javaScriptError = Signal(str)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        settings = self.settings()
        attribute = QWebEngineSettings.WebAttribute
        for name, on in (
            (attribute.JavascriptCanOpenWindows, False),
            (attribute.JavascriptCanAccessClipboard, False),
            (attribute.JavascriptCanPaste, False),
            (attribute.LocalContentCanAccessRemoteUrls, False),
            (attribute.LocalContentCanAccessFileUrls, False),
            (attribute.AllowRunningInsecureContent, False),
            (attribute.PluginsEnabled, False),
            (attribute.PdfViewerEnabled, False),
            (attribute.NavigateOnDropEnabled, False),
            (attribute.LocalStorageEnabled, False),
        ):
            settings.setAttribute(name, on)

    def javaScriptConsoleMessage(
        self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str, line: int, source: str
    ) -> None:
        text = f"{message} ({source}:{line})"
        log.log(_LEVELS.get(level, logging.INFO), "js: %s", text)
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.javaScriptError.emit(text)

    def acceptNavigationRequest(
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        url = QUrl(url)
        if url.scheme() == SCHEME and url.host() == HOST:
            return True
        if navigation_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked and url.scheme() in (
            "http",
            "https",
        ):
            QDesktopServices.openUrl(url)
        else:
            log.warning("blocked navigation to %s", url.toString())
        return False

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage | None:  # type: ignore[override]
        log.warning("blocked a window opened by the page")
        return None
