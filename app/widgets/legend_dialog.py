"""Help › Map legend: every mark and line of the map with what it means, from the same rows and
swatches as the map's own legend (:mod:`app.page.legend`), so the two always agree."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.page.legend import SWATCH_HEIGHT, SWATCH_WIDTH, legend_entries

#: the swatches are drawn larger than in the map, where they sit beside 12 px text
SWATCH_SCALE = 2
MEANING_WIDTH = 380


def swatch_pixmap(svg: str, scale: int = SWATCH_SCALE) -> QPixmap:
    """A legend swatch (SVG markup) drawn ``scale`` times its size in the map (sharp, not scaled up)."""
    pixmap = QPixmap(SWATCH_WIDTH * scale, SWATCH_HEIGHT * scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter)
    painter.end()
    return pixmap


class LegendDialog(QDialog):
    """The map's legend explained: a swatch, a name and a sentence per row. Has no signals of its own."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Map legend")
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.rows: list[tuple[str, str]] = []
        for row, entry in enumerate(legend_entries()):
            swatch = QLabel()
            swatch.setPixmap(swatch_pixmap(entry.svg))
            name = QLabel(entry.label)
            name.setTextFormat(Qt.TextFormat.PlainText)
            font = name.font()
            font.setBold(True)
            name.setFont(font)
            meaning = QLabel(entry.meaning)
            meaning.setTextFormat(Qt.TextFormat.PlainText)
            meaning.setWordWrap(True)
            meaning.setMinimumWidth(MEANING_WIDTH)
            grid.addWidget(swatch, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(name, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(meaning, row, 2, Qt.AlignmentFlag.AlignTop)
            self.rows.append((entry.label, entry.meaning))
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
