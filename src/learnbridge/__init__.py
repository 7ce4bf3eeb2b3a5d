"""Learnbridge: a little push, a lot of pull, built with the workforce and judged by impact."""

__version__ = "0.1.0"
