"""Deciding how Qt can run here, before Qt starts (Qt aborts the process if it guesses wrong)."""

from __future__ import annotations

import ctypes.util
import os
import sys

import pytest

from app import environment


def test_no_display_without_x11_or_wayland(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert environment.has_display() is False
    monkeypatch.setenv("DISPLAY", ":99")
    assert environment.has_display() is True
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert environment.has_display() is False


def test_missing_cursor_library_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else real(name))
    assert "libxcb-cursor.so.0" in environment.missing_window_libraries()


def test_nothing_is_missing_offscreen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert environment.missing_window_libraries() == []


def test_chromium_flags_are_added_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --foo")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    environment.prepare_qt_environment(offscreen=True)
    flags = os.environ["QTWEBENGINE_CHROMIUM_FLAGS"].split()
    assert flags.count("--disable-gpu") == 1 and "--foo" in flags
