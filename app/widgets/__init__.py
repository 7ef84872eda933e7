"""The Qt widgets: the shared state and the views that observe it, and the window that holds them."""
