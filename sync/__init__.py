"""The tablet sync protocol: push, pull, cursors, conflicts, attachments."""
