"""Files that ship beside the code: datasets and their source texts, web assets, basemaps.

Installed as the package ``trotsky_map_resources`` (see ``pyproject.toml``) and read through
:mod:`geodata.paths`; this module has no code.
"""
