"""Engines that draft English for a segment; the registry picks one by name and imports it lazily."""
