"""The rulebook's version, recorded on every event that applied a rule."""

RULEBOOK_VERSION = "ZPIC-WF-20-B1/2026.1"
"""Bump when any ruling changes, so a past result can be explained by the rules it used."""
