"""Matrix connector: one bot account announcing in, reading and moderating one room."""
