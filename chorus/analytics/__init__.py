"""Analytics: figures read from the networks kept as history, engagement rates with their
formulas, best times to post, and reports (HTML, PDF, CSV, PPTX)."""
