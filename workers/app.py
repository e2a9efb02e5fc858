"""The worker processes' entry point: `dramatiq workers.app` (the broker from ECPSC_BROKER_URL)."""

from __future__ import annotations

from ecpsc.settings import Settings
from workers.broker import install_broker

broker = install_broker(Settings())
