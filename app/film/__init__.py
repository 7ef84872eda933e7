"""Films of the life: the plan of each frame (Qt-free), the encoder (Qt-free), the command line
and the renderer that grabs the real map page."""
