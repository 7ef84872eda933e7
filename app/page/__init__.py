"""The map page, Qt-free: the names shared with the page, its assets, its HTML, its data, its exports.

Nothing here imports PySide6 (an import-linter contract says so), so the page can be built, checked
and exported by tests and tools without a display.
"""
