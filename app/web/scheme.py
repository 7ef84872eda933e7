"""The ``trotsky://app/`` URL scheme: the page and every file it loads, served from memory and disk.

A custom scheme instead of ``setHtml`` (which fails silently above 2 MB) or ``file://`` (which would
let the page read any file): the page can load exactly the files of ``app.page.assets.STATIC_FILES`` and
the documents the app puts here (the page itself and the dataset), nothing else.
"""

from __future__ import annotations

import functools
import logging

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob, QWebEngineUrlScheme, QWebEngineUrlSchemeHandler

from app.page import assets

log = logging.getLogger(__name__)

SCHEME = "trotsky"
HOST = "app"
PAGE_PATH = "index.html"


def page_url(path: str = PAGE_PATH) -> QUrl:
    """The URL of a page path on the app's origin."""
    return QUrl(f"{SCHEME}://{HOST}/{path}")


def register_scheme() -> None:
    """Declare the scheme to QtWebEngine; must run once, before the QApplication exists."""
    if QWebEngineUrlScheme.schemeByName(SCHEME.encode()).name():
        return
    scheme = QWebEngineUrlScheme(SCHEME.encode())
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.CorsEnabled
        | QWebEngineUrlScheme.Flag.FetchApiAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)


class AppSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``trotsky://app/<path>`` from in-memory documents, then from the static file table."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents: dict[str, bytes] = {}
        self._file_cache: dict[str, bytes] = {}
        #: documents promised but not made yet, and the requests waiting for each
        self._waiting: dict[str, list[QWebEngineUrlRequestJob]] = {}

    def set_document(self, path: str, content: bytes) -> None:
        """Serve ``content`` at ``path`` (e.g. the page HTML or the dataset JSON).

        Requests that were waiting for ``path`` (see :meth:`promise_document`) are answered now.
        """
        self._documents[path] = content
        for job in self._waiting.pop(path, []):
            if shiboken6.isValid(job):  # a reload may have cancelled (and deleted) the request
                self._reply(job, path, content)

    def promise_document(self, path: str) -> None:
        """``path`` will be set later: requests for it wait instead of failing.

        The page can then load (Chromium starts, Leaflet and the basemap arrive) while the dataset is
        still being read; its fetch of the data is answered when :meth:`set_document` provides it.
        """
        self._documents.pop(path, None)
        self._waiting.setdefault(path, [])

    def content(self, path: str) -> bytes | None:
        """What the scheme serves at ``path``, or None."""
        if path in self._documents:
            return self._documents[path]
        if path in self._file_cache:
            return self._file_cache[path]
        file = assets.STATIC_FILES.get(path)
        if file is None:
            return None
        try:
            data = file.read_bytes()
        except OSError as error:
            log.error("cannot read %s for the page: %s", file, error)
            return None
        self._file_cache[path] = data
        return data

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        if url.host() != HOST:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        path = url.path().lstrip("/")
        if path in self._waiting:
            self._waiting[path].append(job)
            # A reload or a closed page cancels the request and Qt deletes the job: forget it then.
            job.destroyed.connect(functools.partial(self._forget, path, job))
            return
        data = self.content(path)
        if data is None:
            log.error("the page asked for %s, which the app does not have", url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        self._reply(job, path, data)

    def _forget(self, path: str, job: QWebEngineUrlRequestJob) -> None:
        waiting = self._waiting.get(path)
        if waiting is not None:
            waiting[:] = [other for other in waiting if other is not job]

    def _reply(self, job: QWebEngineUrlRequestJob, path: str, data: bytes) -> None:
        buffer = QBuffer(job)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(assets.mime_type(path).encode(), buffer)
