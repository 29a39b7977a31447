"""The glossary: its TSV files and their lint, matching terms in a text, enforcing renderings in English, other formats, conventions, and discovering new terms."""
