"""Dataset tooling (command line, exports, geocoding, gazetteer, suggestions, basemap, distances).

Apart from the model core: the core never imports from here (an import-linter contract says so).
"""
