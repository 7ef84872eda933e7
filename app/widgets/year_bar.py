"""The year control: slider, year label, play/pause with speed, step and next/previous-event buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from app.widgets.state import AppState

SPEEDS = (("0.5 ×", 1400), ("1 ×", 700), ("2 ×", 350), ("4 ×", 175))


class YearBar(QWidget):
    """Shows and sets the state's year. Keyboard: the slider takes arrows, Page Up/Down, Home/End.

    Has no signals of its own: it sets the state's year.
    """

    def __init__(self, state: AppState, event_years: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._event_years = sorted(set(event_years))
        first, last = state.bounds

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("yearSlider")
        self.slider.setRange(first, last)
        self.slider.setPageStep(5)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(5)
        self.slider.setAccessibleName("Year")
        self.slider.setValue(state.year)

        self.year_label = QLabel(str(state.year), self)
        self.year_label.setObjectName("yearLabel")
        font = QFont(self.year_label.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.year_label.setFont(font)
        self.year_label.setMinimumWidth(self.year_label.fontMetrics().horizontalAdvance("0000") + 8)
        self.year_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        icons = QStyle.StandardPixmap
        self.previous_event = self._button(
            icons.SP_MediaSkipBackward, "Previous event (Ctrl+Left)", lambda: self.jump_event(-1)
        )
        self.step_back = self._button(icons.SP_MediaSeekBackward, "Previous year (Left)", lambda: state.step_year(-1))
        self.play_button = self._button(icons.SP_MediaPlay, "Play / pause (Space)", self.toggle_play)
        self.step_forward = self._button(icons.SP_MediaSeekForward, "Next year (Right)", lambda: state.step_year(1))
        self.next_event = self._button(icons.SP_MediaSkipForward, "Next event (Ctrl+Right)", lambda: self.jump_event(1))
        self.speed = QComboBox(self)
        self.speed.setAccessibleName("Playback speed")
        self.speed.setToolTip("Playback speed")
        for label, interval in SPEEDS:
            self.speed.addItem(label, interval)
        self.speed.setCurrentIndex(1)

        self.follow = QCheckBox("Follow", self)
        self.follow.setToolTip("Zoom the map to each year's places (F)")
        self.follow.setChecked(state.follow)
        self.follow.toggled.connect(state.set_follow)
        state.followChanged.connect(self.follow.setChecked)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.speed.currentIndexChanged.connect(self._apply_speed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.addWidget(self.year_label)
        for widget in (self.previous_event, self.step_back, self.play_button, self.step_forward, self.next_event):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.speed)
        layout.addWidget(self.follow)

        self.slider.valueChanged.connect(state.set_year)
        state.yearChanged.connect(self._show_year)
        state.boundsChanged.connect(self._set_bounds)

    def _button(self, icon: QStyle.StandardPixmap, tip: str, action: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(False)
        button.clicked.connect(action)
        return button

    def set_waiting(self, waiting: bool) -> None:
        """Disable the controls while there is no dataset to move through (it is being read)."""
        self.stop()
        self.setEnabled(not waiting)
        self.year_label.setText("…" if waiting else str(self._state.year))
        if not waiting:
            self._set_bounds(*self._state.bounds)
            self._show_year(self._state.year)

    def set_event_years(self, years: list[int]) -> None:
        self._event_years = sorted(set(years))

    def toggle_play(self) -> None:
        """Start or stop playback; starting at the last year starts over from the first."""
        if self._timer.isActive():
            self.stop()
            return
        if not self.isEnabled():  # no dataset yet
            return
        first, last = self._state.bounds
        if self._state.year >= last:
            self._state.set_year(first)
        self._timer.start(int(self.speed.currentData()))
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPause))

    def stop(self) -> None:
        """Stop playback (no-op when not playing)."""
        self._timer.stop()
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))

    def _apply_speed(self) -> None:
        if self._timer.isActive():
            self._timer.setInterval(int(self.speed.currentData()))

    def _tick(self) -> None:
        if self._state.year >= self._state.bounds[1]:
            self.toggle_play()
            return
        self._state.step_year(1)

    def jump_event(self, direction: int) -> None:
        """Go to the next (+1) or previous (-1) year in which a stay starts."""
        year = self._state.year
        candidates = [y for y in self._event_years if (y > year if direction > 0 else y < year)]
        if candidates:
            self._state.set_year(candidates[0] if direction > 0 else candidates[-1])

    def _show_year(self, year: int) -> None:
        self.year_label.setText(str(year))
        if self.slider.value() != year:
            self.slider.blockSignals(True)
            self.slider.setValue(year)
            self.slider.blockSignals(False)

    def _set_bounds(self, first: int, last: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setRange(first, last)
        self.slider.blockSignals(False)
