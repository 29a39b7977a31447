"""Which path is which: the project folder, article folders and their files, names, links, atomic writes and locks, and the up-to-date check."""
