"""A tablet's connection for the push benchmark: one keep-alive HTTP/1.1 connection, nothing more.

Why not httpx here: the load generator shares the machine's two cores with the server and the
database, and httpx spent about a millisecond of client CPU per request: at 64 tablets pushing
single submissions the client took almost half a core, time the server and PostgreSQL then waited
for (and counted as server latency). Real tablets bring their own CPUs. This client writes the
request and reads the response (Content-Length or chunked; gzip, which it asks for like the
reference client) and nothing else.
"""

from __future__ import annotations

import asyncio
import gzip
from urllib.parse import urlsplit


class TabletConnection:
    """POSTs over one connection, opened on first use and again after the server closed it."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Status, headers (lower-case names) and body of one POST; retried once on a connection the
        server had closed while idle."""
        for attempt in range(2):
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
            head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            self._writer.write(
                f"POST {path} HTTP/1.1\r\nHost: {self._host}\r\nAccept-Encoding: gzip\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode() + body
            )
            try:
                return await self._response()
            except (asyncio.IncompleteReadError, ConnectionError):
                await self.aclose()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, dict[str, str], bytes]:
        assert self._reader is not None
        lines = (await self._reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            chunks = []
            while size := int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append((await self._reader.readexactly(size + 2))[:-2])
            await self._reader.readuntil(b"\r\n")
            body = b"".join(chunks)
        else:
            body = await self._reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        if headers.get("connection") == "close":
            await self.aclose()
        return status, headers, body

    async def aclose(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._reader = self._writer = None
