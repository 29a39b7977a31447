"""zhen: Chinese→English translation and glossary pipeline for reviewed news."""

__version__ = "0.1.0"
