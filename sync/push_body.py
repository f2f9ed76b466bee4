"""The push body as the OpenAPI document shows it, so a generated client can send one.

Documentation only: the server reads the body itself (JSON or MessagePack, gzip allowed), as
``sync.wire.PushEnvelope`` with each record kept raw and decoded on its own, so that one bad
record is rejected alone while the rest of the batch is stored (docs/sync.md).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from sync.wire import PushRecord


class PushBody(msgspec.Struct, kw_only=True):
    """A batch of records made offline: submissions and hazard updates, told apart by ``kind``."""

    records: Annotated[list[PushRecord], msgspec.Meta(max_length=500, description="At most 500 records; each is accepted or rejected on its own")]
