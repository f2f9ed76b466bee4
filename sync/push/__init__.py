"""Push: storing a batch of tablet records exactly once — the batch, group commit and its turns, reads, identity and ledger, submission ingest, hazard updates, pinned checklist versions."""
