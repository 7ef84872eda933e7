"""The web view: the app's URL scheme, the locked-down page, the one bridge and the map view.

Widgets use :class:`app.web.map_view.MapView` only; the scheme, page and bridge are its internals.
"""
