"""What the window remembers between runs, in QSettings: window and splitter, date, selection, the
View menu's choices (follow, panel, legend), the base layer, and the datasets opened (the last one
and up to ``RECENT_LIMIT`` recent ones).

QSettings writes an INI file where the platform expects one (``~/.config/trotsky-map/trotsky-map.ini``
on Linux). Anything read back is checked before use: a corrupt or foreign value is ignored and
logged once, never allowed to stop the app.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger(__name__)

ORGANISATION = "trotsky-map"
APPLICATION = "trotsky-map"
RECENT_LIMIT = 8
#: the last day number a date can have (31 December 9999)
MAX_DAY = dt.date.max.toordinal()
#: bumped when a stored value changes meaning; settings of another version are ignored
VERSION = 1


class Settings:
    """Typed access to the app's QSettings; every getter returns None (or a default) for bad values."""

    def __init__(self) -> None:
        self._store = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)
        self._complained: set[str] = set()
        stored = self._store.value("version")
        if stored is not None and str(stored) != str(VERSION):
            self._complain("version", f"settings of version {stored!r} (this app writes {VERSION}); ignored")
            self._store.clear()
        if self._store.status() != QSettings.Status.NoError:
            self._complain("file", f"the settings file {self._store.fileName()} cannot be read; ignored")

    @property
    def file(self) -> str:
        return self._store.fileName()

    def _complain(self, key: str, message: str) -> None:
        if key not in self._complained:
            self._complained.add(key)
            log.warning("%s", message)

    def reset(self) -> None:
        """Forget everything (``--reset-settings``)."""
        self._store.clear()
        self._store.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        if value is None:
            return None
        if isinstance(value, QByteArray):
            return value
        self._complain(key, f"settings: {key} is not window data; ignored")
        return None

    def _int(self, key: str) -> int | None:
        value = self._store.value(key)
        if value is None:
            return None
        try:
            return int(str(value))
        except ValueError:
            self._complain(key, f"settings: {key}={value!r} is not a number; ignored")
            return None

    def _text(self, key: str) -> str | None:
        value = self._store.value(key)
        return value if isinstance(value, str) else None

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    def year(self) -> int | None:
        return self._int("view/year")

    def day(self) -> int | None:
        """The day shown when the window was closed (a day number); a year left by an older
        version stands for its last day."""
        day = self._int("view/day")
        if day is not None and not 1 <= day <= MAX_DAY:
            self._complain("view/day", f"settings: view/day={day} is not a day; ignored")
            return None
        if day is None and (year := self.year()) is not None and 1 <= year <= 9999:
            return dt.date(year, 12, 31).toordinal()
        return day

    def place(self) -> str:
        return self._text("view/place") or ""

    def flag(self, name: str) -> bool | None:
        """A remembered on/off choice of the View menu (``follow``, ``panel``, ``legend``); None if unset."""
        value = self._store.value(f"view/{name}")
        if value is None:
            return None
        known = {"true": True, "false": False}.get(str(value))
        if known is None:
            self._complain(name, f"settings: view/{name}={value!r} is neither true nor false; ignored")
        return known

    def follow(self) -> bool | None:
        return self.flag("follow")

    def layer(self) -> str:
        """The name of the base layer chosen on the map ("" for the default offline one)."""
        return self._text("view/layer") or ""

    def last_dataset(self) -> Path | None:
        text = self._text("datasets/last")
        return Path(text) if text else None

    def recent(self) -> list[Path]:
        value = self._store.value("datasets/recent")
        items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        return [Path(item) for item in items if isinstance(item, str) and item][:RECENT_LIMIT]

    def remember_dataset(self, path: Path) -> None:
        """``path`` was opened: it is the last dataset and the first of the recent ones."""
        resolved = str(path.resolve())
        recent = [str(item) for item in self.recent() if str(item) != resolved]
        self._store.setValue("datasets/last", resolved)
        self._store.setValue("datasets/recent", [resolved, *recent][:RECENT_LIMIT])

    def forget_recent(self, path: Path | None = None) -> None:
        """Drop ``path`` from the recent datasets (all of them when None)."""
        keep = [] if path is None else [str(item) for item in self.recent() if item != path]
        self._store.setValue("datasets/recent", keep)

    def save_window(
        self,
        geometry: QByteArray,
        splitter: QByteArray,
        day: int | None,
        place: str | None,
        flags: dict[str, bool],
        layer: str,
    ) -> None:
        """Remember the window as it is closed: ``day`` the date shown (a day number), ``flags`` the
        View menu's choices by name; a ``day`` or ``place`` of None keeps the one remembered."""
        self._store.setValue("version", VERSION)
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/splitter", splitter)
        if day is not None:
            self._store.setValue("view/day", day)
            self._store.remove("view/year")
        if place is not None:
            self._store.setValue("view/place", place)
        for name, on in flags.items():
            self._store.setValue(f"view/{name}", "true" if on else "false")
        self._store.setValue("view/layer", layer)
        self._store.sync()
