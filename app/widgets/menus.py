"""The window's actions and menus: File, View, Go and Help, each action with a tooltip and, where it
makes sense, a shortcut (the platform's standard key first).

Actions are built here from one table per menu, so Help › Keyboard shortcuts (made from the actions
themselves) cannot drift from what the keys do. The handlers stay with the window or the state:
an action only says what to call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

#: a key as the table gives it: a standard key, or a portable string such as "Ctrl+Shift+F"
Key = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class Command:
    """One action: its menu text, what it does (tooltip and status tip), its keys and its handler.

    ``keys`` are tried in order: a standard key the platform lacks (offscreen has no Quit key) falls
    through to the next one. ``checked`` makes a checkable action; its handler gets the new state.
    """

    name: str
    text: str
    tip: str
    handler: Callable[..., object]
    keys: Sequence[Key] = ()
    checked: bool | None = None


def key_sequences(keys: Sequence[Key]) -> list[QKeySequence]:
    """The first of ``keys`` the platform has, with all its bindings (none when ``keys`` is empty)."""
    for key in keys:
        sequences = QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
        if sequences:
            return list(sequences)
    return []


def make_action(parent: QWidget, command: Command) -> QAction:
    """A QAction for ``command``; its tooltip names its key, so hovering teaches the shortcut."""
    action = QAction(command.text, parent)
    action.setObjectName(command.name)
    sequences = key_sequences(command.keys)
    if sequences:
        action.setShortcuts(sequences)
    keys = sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
    action.setToolTip(f"{command.tip} ({keys})" if keys else command.tip)
    action.setStatusTip(command.tip)
    if command.checked is not None:
        action.setCheckable(True)
        action.setChecked(command.checked)
        action.toggled.connect(command.handler)
    else:
        action.triggered.connect(lambda _checked=False: command.handler())
    return action


@dataclass
class Menus:
    """The menus of a window and its actions by name (``actions["fit_journey"]``)."""

    file: QMenu
    recent: QMenu
    export_data: QMenu
    view: QMenu
    go: QMenu
    help: QMenu
    actions: dict[str, QAction]


def add_menu(bar: QMenuBar, title: str) -> QMenu:
    """A menu that shows its actions' tooltips (Qt hides them in menus unless asked)."""
    menu = bar.addMenu(title)
    menu.setToolTipsVisible(True)
    return menu


def fill(menu: QMenu, parent: QWidget, commands: Sequence[Command | None], actions: dict[str, QAction]) -> None:
    """Add ``commands`` to ``menu`` (None is a separator) and record them in ``actions``."""
    for command in commands:
        if command is None:
            menu.addSeparator()
            continue
        action = make_action(parent, command)
        actions[command.name] = action
        menu.addAction(action)


def shortcut_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    """(what, keys) for each action with a shortcut, in the order given (for the shortcuts dialog)."""
    rows = []
    for action in actions:
        # the first binding: a standard key's others are media keys ("Open") few keyboards have
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
    return rows
