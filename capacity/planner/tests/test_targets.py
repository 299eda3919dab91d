"""Ports are never fixed, and the CPU measurement finds the processes behind a port."""

from __future__ import annotations

import os
import socket

from capacity.planner.targets import free_block, listening_pids, port_free


def test_free_blocks_do_not_overlap_and_skip_ports_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        used = busy.getsockname()[1]
        taken: set[int] = set()
        first = free_block(used, 1, taken)
        assert first != used
        block = free_block(first, 3, taken)
        assert block > first  # the first port is taken by the earlier call
        assert all(port_free(p) for p in range(block, block + 3))


def test_without_a_base_the_kernel_picks_the_port():
    assert free_block(0, 1) > 1024


def test_the_process_listening_on_a_port_is_found():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert os.getpid() in listening_pids(server.getsockname()[1])
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert listening_pids(port) == []
