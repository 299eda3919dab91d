"""current_pid() follows a fork, as os.getpid() does."""

from __future__ import annotations

import os

from paytungan.common.process import current_pid


def test_the_id_is_this_process_s_and_a_forked_child_s_own() -> None:
    assert current_pid() == os.getpid()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: report both ids and leave at once, running nothing else
        os.write(write, f"{current_pid()} {os.getpid()}".encode())
        os._exit(0)
    os.close(write)
    said = os.read(read, 100).decode().split()
    os.close(read)
    os.waitpid(child, 0)
    assert said == [str(child), str(child)]
    assert current_pid() == os.getpid() != child
