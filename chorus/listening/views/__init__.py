"""Listening views, one module per family."""
