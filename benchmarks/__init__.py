"""Timed comparisons against the approaches users would otherwise write (run on demand)."""
