"""The window's dialogs: a problem report, the keyboard shortcuts, About, and the sources and credits.

A report (why a dataset cannot be opened) is shown as unwrapped plain text at the width its lines
need: a message box of about 500 px wraps a line such as "places[3].lat: 95 is outside −90…90" in
the middle, and the user loses which field the problem is in.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from geodata.model import Dataset

#: the report dialog is at least this wide, and at most this share of the screen
REPORT_MIN_WIDTH = 640
REPORT_MAX_SCREEN_SHARE = 0.9


class ReportDialog(QDialog):
    """A problem report: one line of what happened, then the report unwrapped, with Copy and Close.

    Has no signals of its own.
    """

    def __init__(self, parent: QWidget | None, title: str, summary: str, report: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("reportDialog")
        layout = QVBoxLayout(self)
        heading = QLabel(summary, self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.report = QPlainTextEdit(self)
        self.report.setObjectName("report")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setPlainText(report)
        layout.addWidget(self.report, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy", self)
        copy.setToolTip("Copy the report to the clipboard")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(*self._size_for(report))

    def _size_for(self, report: str) -> tuple[int, int]:
        """Wide enough for the longest line (within the screen), tall enough for a dozen lines."""
        metrics = self.report.fontMetrics()
        longest = max((metrics.horizontalAdvance(line) for line in report.splitlines()), default=0)
        screen = self.screen().availableGeometry()
        width = min(max(REPORT_MIN_WIDTH, longest + 60), int(screen.width() * REPORT_MAX_SCREEN_SHARE))
        lines = min(max(report.count("\n") + 1, 4), 20)
        height = min(metrics.lineSpacing() * lines + 140, int(screen.height() * REPORT_MAX_SCREEN_SHARE))
        return width, height


def show_report(parent: QWidget | None, title: str, summary: str, report: str) -> ReportDialog:
    """Show a problem report over ``parent`` (window-modal, without blocking the event loop: the
    map and a background read go on while it is open); it deletes itself when closed."""
    dialog = ReportDialog(parent, title, summary, report)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def shortcuts_html(rows: list[tuple[str, str]]) -> str:
    """The shortcuts dialog's text: a table of (what, keys), escaped."""
    cells = "".join(
        f"<tr><td>{html.escape(what)}</td><td>&nbsp;&nbsp;<b>{html.escape(keys)}</b></td></tr>" for what, keys in rows
    )
    tip = (
        "These keys work wherever the focus is, except while typing in the date field; Space and Enter"
        " press a focused button. On the map, + and − zoom."
    )
    return f"<table>{cells}</table><p>{html.escape(tip)}</p>"


def show_shortcuts(parent: QWidget, rows: list[tuple[str, str]]) -> None:
    QMessageBox.information(parent, "Keyboard shortcuts", shortcuts_html(rows))


def credits_html(dataset: Dataset, life: str) -> str:
    """Help › Sources and credits: the dataset, its sources with their authors and licences, and
    what the map is drawn with."""
    title = dataset.title
    lines = [
        f"<b>{html.escape(life)}</b>" + ("" if title in (life, dataset.person.name) else f": {html.escape(title)}")
    ]
    lines.append("")
    lines += [
        f"<b>{html.escape(source.title)}</b> — {html.escape(source.author)} ({html.escape(source.licence)})"
        for source in dataset.sources.values()
    ]
    lines.append("Basemap: Natural Earth (public domain), via world-atlas.")
    lines.append("Map library: Leaflet (BSD-2-Clause), through folium (MIT).")
    return "<br>".join(lines)


def about_html(dataset: Dataset, life: str, summary: str) -> str:
    """Help › About: whose life, the versions of everything, and the open dataset."""
    from app.widgets.about import versions

    # <nobr>: a message box about 500 px wide broke the versions and the path in the middle
    lines = [
        f"<b>{html.escape(life)}</b> · Life map",
        *(f"<nobr>{html.escape(part.strip())}</nobr>" for part in versions().split("(", 1)[1].rstrip(")").split(",")),
        f"<nobr>Dataset: {html.escape(dataset.title)}</nobr>",
        f"<nobr>{html.escape(str(dataset.path))}</nobr>",
        f"<nobr>{html.escape(summary)}</nobr>",
    ]
    lines.insert(1, f"<nobr>{html.escape(versions().split(' (', 1)[0])}</nobr>")
    return "<br>".join(lines)
