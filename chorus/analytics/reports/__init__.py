"""Reports: a set of sections over a period, as an HTML preview, PDF, CSV files and slides.

``build_report`` is the one verb (pages, schedules and the CLI call it); ``SECTIONS`` the one
list of sections; ``parse_period`` the one way to read a period.
"""
