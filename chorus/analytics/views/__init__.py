"""Analytics views, one module per family."""
