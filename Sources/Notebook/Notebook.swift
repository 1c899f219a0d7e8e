// nbformat 4 notebooks: read, write, replay and compare.
