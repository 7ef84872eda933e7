"""Decide how Qt runs here (a screen or offscreen) before Qt is imported, and route Qt's log.

QtWebEngine reads its flags from the environment when it starts, so this must happen before the
QApplication exists: as root Chromium refuses to start without ``--no-sandbox``, and offscreen it
needs ``--disable-gpu``.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger("qt")

#: Qt messages that only say there is no GPU or window manager offscreen; logged at debug level.
HARMLESS_QT_MESSAGES: tuple[str, ...] = (
    "QRhiGles2: Failed to create",
    "Failed to create RHI for backend",
    "This plugin does not support",
    "GPUInfo not initialized",
    "Unable to detect GPU vendor",
    "QStandardPaths: XDG_RUNTIME_DIR not set",
    "Failed to connect to the bus",
    "QVulkanInstance: Failed to initialize Vulkan",
    "GLX: No XCB Connection",
    "GLX: No DRI3 Extension",
    "Failed to load vulkan",
    "initInstance: No Vulkan library available",
    "Failed to create platform Vulkan instance",
)


def has_display() -> bool:
    """True when a window can be shown (always on Windows/macOS; X11 or Wayland on Linux)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def missing_window_libraries() -> list[str]:
    """System libraries the Qt X11 plugin needs that this machine lacks (Linux with X11 only).

    Qt aborts the whole process when its platform plugin cannot load, so the app checks first and
    can say what to install instead of crashing. ``ldd`` lists the plugin's missing link-time
    libraries; libxcb-cursor is loaded at run time, so it is looked up separately.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb":
        return []
    if not os.environ.get("DISPLAY"):
        return []
    import ctypes.util
    import importlib.util
    import shutil
    import subprocess
    from pathlib import Path

    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return []
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    missing: list[str] = []
    ldd = shutil.which("ldd")
    if plugin.exists() and ldd:
        try:
            listing = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        for line in listing.splitlines():
            if "not found" in line:
                name = line.split("=>")[0].strip()
                if name not in missing:
                    missing.append(name)
    if ctypes.util.find_library("xcb-cursor") is None:
        missing.append("libxcb-cursor.so.0")
    return missing


def _add_flag(flags: str, flag: str) -> str:
    return flags if flag in flags.split() else f"{flags} {flag}".strip()


def prepare_qt_environment(offscreen: bool, film: bool = False) -> None:
    """Set the platform and Chromium flags; call before creating the QApplication.

    ``film``: the process only films the map (``--export-video``): Chromium may draw frames as fast
    as it can instead of at the display's 60 Hz, which would cap a film's frames at 30 a second
    (each frame waits for two of them to be composited)."""
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = _add_flag(flags, "--no-sandbox")
    if offscreen:
        flags = _add_flag(flags, "--disable-gpu")
    if film:
        flags = _add_flag(flags, "--disable-frame-rate-limit")
        flags = _add_flag(flags, "--disable-gpu-vsync")
    # Chromium's own chatter (D-Bus, GPU probing) is noise for users; real errors still reach us.
    flags = _add_flag(flags, "--log-level=3")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags


def use_software_rendering() -> None:
    """Offscreen there is no OpenGL: tell Qt Quick (which composites the web view) to draw in software
    instead of probing for a GPU and logging failures. Call before the QApplication exists."""
    from PySide6.QtQuick import QQuickWindow, QSGRendererInterface

    QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)


def install_qt_message_handler() -> None:
    """Send Qt's own warnings to ``logging`` so they are visible (and fail tests)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        level = levels.get(kind, logging.WARNING)
        if message.startswith(HARMLESS_QT_MESSAGES):
            level = logging.DEBUG
        log.log(level, "%s", message)

    qInstallMessageHandler(handler)
