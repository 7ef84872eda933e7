"""The time controls under the map: the date, a go-to-date field, steps by a chosen unit and by
stay, play at a chosen speed (skipping quiet stretches if asked), a slider over the life with year
labels, and Follow.

Keys are the window's (``MainWindow``'s actions), so they work wherever the focus is; here Space
and Enter press a focused button or checkbox instead of playing, and the speed box gives the focus
back once a speed is chosen, so the next arrow key moves the date rather than the speed.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProxyStyle,
    QSlider,
    QStyle,
    QStyleOption,
    QToolButton,
    QWidget,
)

from app.widgets.state import AppState, Unit, first_day_of, shifted
from geodata.dates import day_number, format_day, from_day_number, parse_when

#: playback speeds: label → milliseconds per step
SPEEDS = (("0.5 ×", 1000), ("1 ×", 500), ("2 ×", 250), ("4 ×", 125), ("8 ×", 60))
#: step units offered, and the one chosen at start
UNITS = (Unit.DAY, Unit.MONTH, Unit.YEAR)
DEFAULT_UNIT = Unit.MONTH
BAD_ENTRY = "QLineEdit { background: #fde2dd; border: 1px solid #c0392b; }"


class _JumpToClick(QProxyStyle):
    """A click on the slider's groove moves the handle there (not a page towards it)."""

    def styleHint(self, hint: QStyle.StyleHint, option: QStyleOption | None = None, *args: object) -> int:
        if hint == QStyle.StyleHint.SH_Slider_AbsoluteSetButtons:
            return int(Qt.MouseButton.LeftButton.value)
        return int(super().styleHint(hint, option, *args))  # type: ignore[arg-type]


class LifeSlider(QSlider):
    """A slider over the days of the life with year labels under its ticks; a wheel notch asks for
    one step of the chosen unit instead of moving by its own amount.

    Signals:
        wheelStep(int): +1 or -1 per wheel notch (forward is later).
    """

    wheelStep = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        # No base style given: QProxyStyle(style) would take ownership of the application's style
        # and delete it with this slider (the next window then crashes on a dead style).
        self._style = _JumpToClick()
        self._style.setParent(self)
        self.setStyle(self._style)
        self.setObjectName("dateSlider")
        self.setAccessibleName("Date")
        self.setTickPosition(QSlider.TickPosition.NoTicks)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 7.0))
        self._label_font = small
        self.setMinimumHeight(self.sizeHint().height() + self.fontMetrics().height() + 2)
        self._wheel_rest = 0

    def wheelEvent(self, event: QWheelEvent) -> None:
        """A notch (120 eighths of a degree; touchpads send less at a time) is one step."""
        self._wheel_rest += event.angleDelta().y() or event.angleDelta().x()
        while abs(self._wheel_rest) >= 120:
            direction = 1 if self._wheel_rest > 0 else -1
            self._wheel_rest -= direction * 120
            self.wheelStep.emit(direction)
        event.accept()

    def year_step(self) -> int:
        """Years between labels: as many as fit, at 1, 2, 5, 10, 20 or 50."""
        first, last = from_day_number(self.minimum()).year, from_day_number(self.maximum()).year
        width = max(self.width(), 1)
        room = self.fontMetrics().horizontalAdvance("0000") * 2.2
        for step in (1, 2, 5, 10, 20, 50, 100):
            if (last - first) / step * room <= width:
                return step
        return 500

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        first, last = from_day_number(self.minimum()).year, from_day_number(self.maximum()).year
        step = self.year_step()
        painter = QPainter(self)
        painter.setFont(self._label_font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        option = QStyleOption()
        option.initFrom(self)
        span = self.style().pixelMetric(QStyle.PixelMetric.PM_SliderLength, option, self)
        height = self.height()
        metrics = painter.fontMetrics()
        for year in range((first + step - 1) // step * step, last + 1, step):
            x = span // 2 + QStyle.sliderPositionFromValue(
                self.minimum(), self.maximum(), first_day_of(year), self.width() - span
            )
            text = str(year)
            width = metrics.horizontalAdvance(text)
            painter.drawLine(x, height - metrics.height() - 3, x, height - metrics.height() - 1)
            painter.drawText(QRect(x - width // 2, height - metrics.height(), width, metrics.height()), 0, text)
        painter.end()


class ButtonKeys(QObject):
    """Space and Enter press the focused button or checkbox (they would otherwise go to the window's
    Space shortcut, and a tool button ignores Enter)."""

    KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QAbstractButton) or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in self.KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the button takes the key, not the window's shortcut
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() != Qt.Key.Key_Space:
            watched.click()
            return True
        return False


class TimeBar(QWidget):
    """Shows and sets the state's date.

    Has no signals of its own: it sets the state's date.
    """

    def __init__(self, state: AppState, event_days: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._event_days = sorted(set(event_days))
        self._change_days = self._event_days

        self.date_label = QLabel(self)
        self.date_label.setObjectName("dateLabel")
        font = QFont(self.date_label.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.date_label.setFont(font)
        self.date_label.setMinimumWidth(self.date_label.fontMetrics().horizontalAdvance("28 September 1917") + 8)
        self.date_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.go_to = QLineEdit(self)
        self.go_to.setObjectName("goToDate")
        self.go_to.setPlaceholderText("Go to date…")
        self.go_to.setAccessibleName("Go to date")
        self.go_to.setToolTip("Type a date and press Enter: 1917-10-25, 25 October 1917, Oct 1917 or 1917 (Ctrl+G)")
        self.go_to.setClearButtonEnabled(True)
        self.go_to.setMaximumWidth(170)
        self.go_to.returnPressed.connect(self.go_to_entry)
        self.go_to.textEdited.connect(lambda _text: self._mark_entry(None))

        icons = QStyle.StandardPixmap
        self.previous_event = self._button(
            icons.SP_MediaSkipBackward, "Previous stay (Ctrl+Left)", lambda: self.jump_event(-1)
        )
        self.step_back = self._button(icons.SP_MediaSeekBackward, "Step back (Left)", lambda: self.step(-1))
        self.play_button = self._button(icons.SP_MediaPlay, "Play / pause (Space)", self.toggle_play)
        self.step_forward = self._button(icons.SP_MediaSeekForward, "Step forward (Right)", lambda: self.step(1))
        self.next_event = self._button(icons.SP_MediaSkipForward, "Next stay (Ctrl+Right)", lambda: self.jump_event(1))
        self.unit = QComboBox(self)
        self.unit.setObjectName("stepUnit")
        self.unit.setAccessibleName("Step by")
        self.unit.setToolTip("What a step and each frame of play move by")
        for unit in UNITS:
            self.unit.addItem(f"by {unit.value}", unit.value)
        self.unit.setCurrentIndex(UNITS.index(DEFAULT_UNIT))

        self.slider = LifeSlider(self)
        self.slider.setToolTip("The life from its first to its last year: click or drag to go there")
        self.speed = QComboBox(self)
        self.speed.setObjectName("speed")
        self.speed.setAccessibleName("Playback speed")
        self.speed.setToolTip("Playback speed")
        for label, interval in SPEEDS:
            self.speed.addItem(label, interval)
        self.speed.setCurrentIndex(1)
        self.skip = QCheckBox("Skip quiet", self)
        self.skip.setObjectName("skipQuiet")
        self.skip.setToolTip("While playing, jump over stretches where nothing changes")
        self.skip.setChecked(True)

        self.follow = QCheckBox("Follow", self)
        self.follow.setToolTip("Zoom the map to each date's places (F)")
        self.follow.setChecked(state.follow)
        self.follow.toggled.connect(state.set_follow)
        state.followChanged.connect(self.follow.setChecked)

        # a choice made with the mouse gives the focus back: the next arrow key moves the date
        for box in (self.speed, self.unit):
            box.activated.connect(lambda _index: self.slider.setFocus(Qt.FocusReason.OtherFocusReason))
        self._button_keys = ButtonKeys(self)
        for button in (
            self.previous_event,
            self.step_back,
            self.play_button,
            self.step_forward,
            self.next_event,
            self.skip,
            self.follow,
        ):
            button.installEventFilter(self._button_keys)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.speed.currentIndexChanged.connect(self._apply_speed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.addWidget(self.date_label)
        layout.addWidget(self.go_to)
        for widget in (self.previous_event, self.step_back, self.play_button, self.step_forward, self.next_event):
            layout.addWidget(widget)
        layout.addWidget(self.unit)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.speed)
        layout.addWidget(self.skip)
        layout.addWidget(self.follow)

        self.slider.valueChanged.connect(state.set_day)
        self.slider.wheelStep.connect(self.step)
        state.dateChanged.connect(self._show_day)
        state.boundsChanged.connect(lambda *_bounds: self._set_bounds())
        self._set_bounds()
        self._show_day(state.day)

    def _button(self, icon: QStyle.StandardPixmap, tip: str, action: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(False)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(action)
        return button

    @property
    def current_unit(self) -> Unit:
        return Unit(self.unit.currentData())

    def set_unit(self, unit: Unit) -> None:
        self.unit.setCurrentIndex(UNITS.index(unit))

    def set_waiting(self, waiting: bool) -> None:
        """Disable the controls while there is no dataset to move through (it is being read)."""
        self.stop()
        self.setEnabled(not waiting)
        if waiting:
            self.date_label.setText("…")
        else:
            self._set_bounds()
            self._show_day(self._state.day)

    def set_event_days(self, days: list[int], change_days: list[int] | None = None) -> None:
        """The days a stay begins (previous / next stay) and, for skipping quiet stretches, every
        day something changes (a stay begins, or the day after one ends)."""
        self._event_days = sorted(set(days))
        self._change_days = sorted(set(change_days)) if change_days is not None else self._event_days

    # -- moving -----------------------------------------------------------------------------

    def step(self, direction: int) -> None:
        """One step of the chosen unit, forwards (+1) or back (-1)."""
        self._state.step(self.current_unit, direction)

    def jump_event(self, direction: int) -> None:
        """Go to the next (+1) or previous (-1) day on which a stay begins."""
        day = self._state.day
        if direction > 0:
            index = bisect.bisect_right(self._event_days, day)
            if index < len(self._event_days):
                self._state.set_day(self._event_days[index])
        else:
            index = bisect.bisect_left(self._event_days, day)
            if index > 0:
                self._state.set_day(self._event_days[index - 1])

    def go_to_entry(self) -> bool:
        """Go to the date typed in the field; a bad entry is marked in place (with why in its
        tooltip) and nothing moves. Returns whether the date was taken."""
        text = self.go_to.text()
        try:
            date = parse_when(text)
        except ValueError as error:
            self._mark_entry(str(error))
            return False
        first, last = self._state.day_bounds
        day = day_number(date.first_day() if date.day is not None else date.last_day())
        if not first <= day <= last:
            self._mark_entry(f"{text.strip()} is outside {from_day_number(first).year}–{from_day_number(last).year}")
            return False
        self._mark_entry(None)
        self._state.set_day(day)
        return True

    def _mark_entry(self, problem: str | None) -> None:
        self.go_to.setStyleSheet(BAD_ENTRY if problem else "")
        self.go_to.setProperty("bad", bool(problem))
        self.go_to.setToolTip(problem or "Type a date and press Enter: 1917-10-25, 25 October 1917, Oct 1917 or 1917")

    @property
    def entry_is_bad(self) -> bool:
        return bool(self.go_to.property("bad"))

    # -- play -------------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def toggle_play(self) -> None:
        """Start or stop playback; starting at the last day starts over from the first."""
        if self._timer.isActive():
            self.stop()
            return
        if not self.isEnabled():  # no dataset yet
            return
        first, last = self._state.day_bounds
        if self._state.day >= last:
            self._state.set_day(first)
        self._timer.start(int(self.speed.currentData()))
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPause))

    def stop(self) -> None:
        """Stop playback (no-op when not playing)."""
        self._timer.stop()
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))

    def _apply_speed(self) -> None:
        if self._timer.isActive():
            self._timer.setInterval(int(self.speed.currentData()))

    def next_play_day(self, day: int) -> int:
        """The day the next frame of play shows: one unit on, or, skipping quiet stretches, the
        next day something changes when that comes later than one unit on."""
        stepped = shifted(day, self.current_unit, 1)
        if not self.skip.isChecked():
            return stepped
        index = bisect.bisect_right(self._change_days, day)
        if index < len(self._change_days) and self._change_days[index] > stepped:
            return self._change_days[index]
        return stepped

    def _tick(self) -> None:
        if self._state.day >= self._state.day_bounds[1]:
            self.stop()
            return
        self._state.set_day(self.next_play_day(self._state.day))

    # -- showing ----------------------------------------------------------------------------

    def _show_day(self, day: int) -> None:
        self.date_label.setText(format_day(from_day_number(day)))
        if self.slider.value() != day:
            self.slider.blockSignals(True)
            self.slider.setValue(day)
            self.slider.blockSignals(False)
            self.slider.update()

    def _set_bounds(self) -> None:
        first, last = self._state.day_bounds
        self.slider.blockSignals(True)
        self.slider.setRange(first, last)
        self.slider.setPageStep(365)
        self.slider.setSingleStep(30)
        self.slider.blockSignals(False)
        self._show_day(self._state.day)
