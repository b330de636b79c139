"""Run part of a test as user nobody, for the permission tests when the suite runs as root."""

import json
import os

NOBODY = 65534


def child_report(work) -> dict:
    """Run ``work()`` in a forked child that has dropped root; its dict comes back.

    The child drops its groups and becomes uid/gid 65534, then sends what ``work``
    returns as JSON through a pipe. If that raises, the report is
    ``{"crash": "Type: message"}``. The child never returns into pytest.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        report = {}
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            report = work()
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            report = {"crash": f"{type(exc).__name__}: {exc}"}
        finally:
            os.write(write_end, json.dumps(report).encode())
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))
