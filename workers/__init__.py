"""Dramatiq actors for deadline sweeps, notifications and reports (from the lifecycle issue on)."""
