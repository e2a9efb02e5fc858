"""The rulebook: every ruling of ZPIC-WF-20 the system applies, as pure functions."""
