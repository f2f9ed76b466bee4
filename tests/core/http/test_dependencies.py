"""Every handler takes ``ctx`` and ``principal``; litestar must resolve them one after the other.

Dependencies litestar may resolve together run in an anyio task group, a task per dependency;
for two attribute lookups that cost 3 % of a push's server CPU (``core.http.dependencies``)."""

from __future__ import annotations

import litestar._kwargs.kwargs_model as kwargs_model


async def test_ctx_and_principal_are_resolved_without_a_task_group(api, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groups = []
    real = kwargs_model.create_task_group

    def counting():  # type: ignore[no-untyped-def]
        groups.append(1)
        return real()

    monkeypatch.setattr(kwargs_model, "create_task_group", counting)
    response = await api.client.get("/api/v1/enterprises", headers=admin)  # takes ctx and principal
    assert response.status_code == 200, response.text
    assert groups == []
