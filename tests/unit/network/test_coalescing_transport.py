"""A response's head and body leave in one system call (`launcher/http_protocol.py`), with the
bytes and their order unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator

import pytest

from vidjil_local.launcher.http_protocol import HOLD_BYTES, CoalescingTransport


class RecordingTransport(asyncio.Transport):
    """What reached the socket, one entry per system call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        assert not self.closed
        self.calls.append(bytes(data))

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        self.write(b"".join(list_of_data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_write_buffer_size(self) -> int:
        return 0  # every write above reached the socket


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    # Stepped by hand, not by asyncio.run: the browser tests leave Playwright's event loop
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def next_pass(loop: asyncio.AbstractEventLoop) -> None:
    loop.run_until_complete(asyncio.sleep(0))


def test_head_and_body_written_in_one_pass_leave_together(
    loop: asyncio.AbstractEventLoop,
) -> None:
    socket = RecordingTransport()
    transport = CoalescingTransport(socket, loop)
    transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    transport.write(b"{}")
    assert socket.calls == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]
    next_pass(loop)
    assert len(socket.calls) == 1


def test_a_lone_write_leaves_at_the_end_of_the_pass(loop: asyncio.AbstractEventLoop) -> None:
    socket = RecordingTransport()
    transport = CoalescingTransport(socket, loop)
    transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.get_write_buffer_size() == len(b"HTTP/1.1 100 Continue\r\n\r\n")
    next_pass(loop)
    assert socket.calls == [b"HTTP/1.1 100 Continue\r\n\r\n"]


def test_large_writes_are_never_held_and_order_is_kept(loop: asyncio.AbstractEventLoop) -> None:
    socket = RecordingTransport()
    transport = CoalescingTransport(socket, loop)
    large = b"x" * (HOLD_BYTES + 1)
    transport.write(large)
    assert socket.calls == [large]
    transport.write(b"head")
    transport.write(large)
    transport.write(b"tail")
    next_pass(loop)
    assert b"".join(socket.calls) == large + b"head" + large + b"tail"


def test_closing_sends_what_is_held_first(loop: asyncio.AbstractEventLoop) -> None:
    socket = RecordingTransport()
    transport = CoalescingTransport(socket, loop)
    transport.write(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n")
    transport.close()
    assert socket.calls == [b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n"]
    assert socket.closed
    next_pass(loop)  # the scheduled flush finds nothing left and writes nothing
    assert len(socket.calls) == 1


def test_nothing_is_written_to_a_connection_gone_meanwhile(
    loop: asyncio.AbstractEventLoop,
) -> None:
    socket = RecordingTransport()
    transport = CoalescingTransport(socket, loop)
    transport.write(b"head")
    socket.close()  # the client went away
    next_pass(loop)
    assert socket.calls == []
