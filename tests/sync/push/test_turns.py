"""Turns: one holder at a time, the lowest waiting ticket next, and a cancelled waiter neither
keeps the turn nor loses it for the others."""

from __future__ import annotations

import asyncio

from sync.push.turns import Turns


async def test_the_lowest_waiting_ticket_goes_next_whatever_the_order_of_asking() -> None:
    turns = Turns()
    first, second, third = turns.ticket(), turns.ticket(), turns.ticket()
    order: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with turns.take(second):  # takes the free turn at once, whatever its ticket
            order.append("second decodes")
            await release.wait()

    async def waiter(ticket: int | None, name: str) -> None:
        async with turns.take(ticket):
            order.append(name)

    held = asyncio.ensure_future(holder())
    await asyncio.sleep(0)
    waiting = [
        asyncio.ensure_future(waiter(None, "a late group")),  # asks first, but draws the youngest ticket
        asyncio.ensure_future(waiter(third, "third decodes")),
        asyncio.ensure_future(waiter(first, "first validates")),
    ]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(held, *waiting)
    assert order == ["second decodes", "first validates", "third decodes", "a late group"]


async def test_a_cancelled_waiter_leaves_the_queue_and_one_cancelled_as_it_is_handed_the_turn_passes_it_on() -> None:
    turns = Turns()
    order: list[str] = []
    release = asyncio.Event()

    async def take(name: str, ticket: int | None = None, hold: asyncio.Event | None = None) -> None:
        async with turns.take(ticket):
            order.append(name)
            if hold is not None:
                await hold.wait()

    held = asyncio.ensure_future(take("holder", hold=release))
    await asyncio.sleep(0)
    gone = asyncio.ensure_future(take("gone", 0))
    after = asyncio.ensure_future(take("after"))
    await asyncio.sleep(0)
    gone.cancel()  # cancelled while waiting: it never holds the turn
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(held, after)
    assert gone.cancelled() and order == ["holder", "after"]

    # Handed the turn and cancelled before it ran: the turn goes on to the next waiter.
    release.clear()
    held = asyncio.ensure_future(take("holder", hold=release))
    await asyncio.sleep(0)
    handed = asyncio.ensure_future(take("handed", 0))
    last = asyncio.ensure_future(take("last"))
    await asyncio.sleep(0)
    release.set()
    await asyncio.sleep(0)  # the holder leaves and hands the turn to the lowest ticket…
    handed.cancel()  # …which is cancelled before it could run
    await asyncio.gather(held, last)
    assert handed.cancelled() and order[-2:] == ["holder", "last"]
    async with turns.take():  # and the turn is free again
        pass
