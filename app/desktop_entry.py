"""``trotsky-map --install-desktop-entry``: put the app into the desktop's menu for this user (no Qt).

A ``pip``/``pipx`` install cannot place files outside its environment, so the app installs its own
freedesktop entry on request: the ``.desktop`` file (its ``Exec`` names the very ``trotsky-map`` that
was run, by absolute path, so the menu works without ``~/.local/bin`` on the desktop's ``PATH``) into
``$XDG_DATA_HOME/applications/``, the icon in every size into ``$XDG_DATA_HOME/icons/hicolor/``, and
the AppStream metainfo into ``$XDG_DATA_HOME/metainfo/``. ``$XDG_DATA_HOME`` defaults to
``~/.local/share``. The shipped files are package data in ``resources/desktop/`` and
``resources/icons/`` (see the README there for how the icons are made).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geodata.atomic import write_bytes_atomic
from geodata.paths import resource

#: the reverse-DNS id: the ``.desktop`` file's and the metainfo's name, the icon's name
APP_ID = "io.github.trotsky_map.TrotskyMap"
#: the sizes of the icon's PNGs (``resources/icons/trotsky-map-<size>.png``), beside the SVG
ICON_SIZES = (16, 32, 48, 64, 128, 256)
ICON_SVG = resource("icons", "trotsky-map.svg")
DESKTOP_FILE = resource("desktop", f"{APP_ID}.desktop")
METAINFO_FILE = resource("desktop", f"{APP_ID}.metainfo.xml")


def icon_png(size: int) -> Path:
    """The shipped PNG of the icon at ``size`` × ``size`` pixels."""
    return resource("icons", f"trotsky-map-{size}.png")


class DesktopEntryError(Exception):
    """A file could not be written; the message names its path and why."""


def data_home() -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (a relative ``$XDG_DATA_HOME`` is invalid and ignored)."""
    explicit = os.environ.get("XDG_DATA_HOME", "")
    if explicit and Path(explicit).is_absolute():
        return Path(explicit)
    return Path.home() / ".local" / "share"


def launch_command(argv0: str | None = None) -> list[str]:
    """How the desktop starts this very installation: the running ``trotsky-map`` script by absolute
    path, else (``python -m app``, a test) this interpreter with ``-m app``."""
    script = Path(sys.argv[0] if argv0 is None else argv0)
    if script.name == "trotsky-map" and script.is_file():
        # absolute, not resolved: ~/.local/bin/trotsky-map (pipx's link) stays the command the user knows
        return [os.path.abspath(script)]
    return [os.path.abspath(sys.executable), "-m", "app"]


_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


def exec_value(command: Sequence[str]) -> str:
    """``command`` as the value of an ``Exec`` key (Desktop Entry Specification, "The Exec key").

    An argument with a reserved character (a space, a quote, ``$``…) is double-quoted, and inside the
    quotes a double quote, backtick, dollar or backslash is escaped with a backslash; ``%`` is doubled
    (it starts field codes); then the string-value escapes apply (each backslash is written twice).
    """
    arguments = []
    for argument in command:
        if any(ord(character) < 0x20 or character == "\x7f" for character in argument):
            raise DesktopEntryError(f"cannot name {argument!r} in a desktop entry: it has a control character")
        if _RESERVED.search(argument):
            argument = '"' + re.sub(r'(["`$\\])', r"\\\1", argument) + '"'
        arguments.append(argument.replace("%", "%%"))
    return " ".join(arguments).replace("\\", "\\\\")


def string_value(text: str) -> str:
    """``text`` as a desktop entry string value (``TryExec`` is one, not a command line)."""
    if any(ord(character) < 0x20 for character in text):
        raise DesktopEntryError(f"cannot name {text!r} in a desktop entry: it has a control character")
    return text.replace("\\", "\\\\")


def desktop_entry_text(command: Sequence[str]) -> str:
    """The shipped ``.desktop`` file with ``Exec`` and ``TryExec`` naming ``command``."""
    replaced = {"Exec": exec_value(command), "TryExec": string_value(command[0])}
    lines = []
    for line in DESKTOP_FILE.read_text(encoding="utf-8").splitlines():
        key = line.partition("=")[0].strip()
        lines.append(f"{key}={replaced[key]}" if key in replaced else line)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Planned:
    """One file to write: where, and its bytes."""

    path: Path
    data: bytes


def plan(home: Path, command: Sequence[str]) -> list[Planned]:
    """Every file the entry consists of, under the data folder ``home``."""
    icons = home / "icons" / "hicolor"
    files = [Planned(home / "applications" / f"{APP_ID}.desktop", desktop_entry_text(command).encode("utf-8"))]
    files += [
        Planned(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png", icon_png(size).read_bytes()) for size in ICON_SIZES
    ]
    files.append(Planned(icons / "scalable" / "apps" / f"{APP_ID}.svg", ICON_SVG.read_bytes()))
    files.append(Planned(home / "metainfo" / f"{APP_ID}.metainfo.xml", METAINFO_FILE.read_bytes()))
    return files


def install(home: Path, command: Sequence[str]) -> list[Path]:
    """Write the entry under ``home`` (each file atomically); the paths written, in order."""
    written = []
    for planned in plan(home, command):
        try:
            write_bytes_atomic(planned.path, planned.data)
        except OSError as error:
            where = error.filename or planned.path
            raise DesktopEntryError(f"cannot write {where}: {error.strerror or error}") from error
        written.append(planned.path)
    # The icon theme's folders are rescanned when their time changes; a theme cache, if one was made
    # (gtk-update-icon-cache), would hide the new icon until it is rebuilt.
    if (home / "icons" / "hicolor" / "icon-theme.cache").exists():
        print(
            f"Note: {home / 'icons' / 'hicolor' / 'icon-theme.cache'} exists; run gtk-update-icon-cache on its folder."
        )
    return written


def main(argv0: str | None = None) -> int:
    """The command: install for this user, print what was written; 1 with a message if a file cannot be."""
    home = data_home()
    command = launch_command(argv0)
    try:
        written = install(home, command)
    except DesktopEntryError as error:
        print(f"trotsky-map: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a shipped file is missing: a broken installation
        print(f"trotsky-map: cannot read {error.filename}: {error.strerror or error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"Wrote {path}")
    print(f"The menu entry starts: {' '.join(command)}")
    return 0
