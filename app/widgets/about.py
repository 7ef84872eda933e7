"""What Help › About and ``--version`` say: the versions of the app and of what it runs on."""

from __future__ import annotations


def versions() -> str:
    """The app's version and those of what it runs on, one line (imports Qt: only on request)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from PySide6 import __version__ as pyside
    from PySide6.QtCore import qVersion
    from PySide6.QtWebEngineCore import qWebEngineChromiumVersion

    reported: object = qWebEngineChromiumVersion()  # a str at run time, bytes in the stubs
    chromium = bytes(reported).decode("ascii", "replace") if isinstance(reported, (bytes, bytearray)) else str(reported)
    try:
        app_version = version("trotsky-map")
    except PackageNotFoundError:  # run from a checkout that was never installed
        app_version = "unknown (not installed)"
    return (
        f"trotsky-map {app_version} (Python {platform.python_version()}, PySide6 {pyside}, Qt {qVersion()}, "
        f"Chromium {chromium})"
    )
