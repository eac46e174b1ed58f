"""hstracker: a fast, offline fan tracker for screen adaptations of books and comics."""

__version__ = "0.1.0"
