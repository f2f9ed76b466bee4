"""Starting and stopping a real anjian process for the browser tests (field app and console alike)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def start_server(command: list[str], env: dict[str, str], log_path: Path, health_url: str) -> subprocess.Popen[bytes]:
    """Run ``command`` (output to ``log_path``) until ``health_url`` answers 200, or raise with the log's tail."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log_tail(log_path)}")
        try:
            if httpx.get(health_url, timeout=1.0, verify=False).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop_server(process)
    raise RuntimeError(f"server did not start:\n{log_tail(log_path)}")


def stop_server(process: subprocess.Popen[bytes] | None) -> None:
    """Terminate, then kill if it does not go within 10 s."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def log_tail(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else ""
