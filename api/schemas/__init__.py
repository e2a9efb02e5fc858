"""Pydantic schemas at the HTTP edge: what requests may contain and what answers look like."""
