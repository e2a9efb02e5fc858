"""The HTTP rows' baseline: a bare FastAPI app answering a constant, in its own uvicorn process.

It runs as `ecpsc serve` does (uvicorn, one process, the same libraries) without the back
office's routes, middleware or logging, so the ratio of /healthz to it is what they cost.
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    """A constant."""
    return {"status": "ok"}
