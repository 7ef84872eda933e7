"""The Qt application: state, map view, bridge, excerpt panel and year bar (see README)."""
