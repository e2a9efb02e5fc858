"""Everything one process needs, built once from the settings: store, read models, documents."""

from __future__ import annotations

import logging

from domain.backoffice import BackOffice
from ecpsc.documents import DirectoryDocumentStore, DocumentStore, PostgresDocumentStore
from ecpsc.outage import STORE_UNAVAILABLE
from ecpsc.settings import Settings
from ecpsc.store import eventsourcing_env, open_backoffice
from projections.runner import ReadModels

log = logging.getLogger(__name__)

SETTLE_TIMEOUT_SECONDS = 10.0


class Services:
    """The back office, its read models and its document store, for one process."""

    def __init__(self, settings: Settings, *, run_projections: bool) -> None:
        self.settings = settings
        self.backoffice: BackOffice = open_backoffice(settings)
        # The runners follow this process's application: its pool serves their reads too.
        self.read_models = ReadModels(
            eventsourcing_env(settings), postgres=settings.is_postgres, application=self.backoffice
        )
        if run_projections:
            self.read_models.run()
        self.documents: DocumentStore = (
            PostgresDocumentStore(settings.postgres)
            if settings.is_postgres
            else DirectoryDocumentStore(settings.documents_path)
        )

    def settle(self) -> None:
        """Wait until the read models show every event recorded so far (read your writes)."""
        try:
            self.read_models.wait(
                self.backoffice.recorder.max_notification_id(), timeout=SETTLE_TIMEOUT_SECONDS
            )
        except TimeoutError:
            # The write is recorded; only the lists lag (is the projector running?).
            log.warning("read models did not catch up within %ss", SETTLE_TIMEOUT_SECONDS)
        except STORE_UNAVAILABLE as error:
            # The write is recorded (its answer must say so); the store went away after it.
            log.warning("read models could not be asked whether they caught up: %s", error)

    def close(self) -> None:
        """Stop the runners and close the store."""
        self.read_models.close()
        self.backoffice.close()
