"""The reference tablet client: an outbox that survives anything, push with retry, pull by cursor, and the ``anjian tablet`` CLI."""
