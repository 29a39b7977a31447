"""The translation memory: every reviewed sentence, ready to draft the next article.

``index`` keeps the memory (a SQLite file derived from the catalogs and the
TMX files in ``tm/``), ``tmx`` reads TMX files that other tools wrote,
``draft`` (with ``text.placeables`` carrying new figures into a match)
turns a match into a catalog draft.
"""
