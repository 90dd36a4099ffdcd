"""Sources listening polls: one small package each, like networks (a narrow interface in
``base``, one line in ``registry``, its tests, its docs page)."""
