"""Read models: projections of the event store, each tracked so every event is applied once."""
