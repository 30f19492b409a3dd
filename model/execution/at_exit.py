"""Imported by the CLI before anything imports multiprocessing: the resource tracker ends before innosim does.

atexit runs the handlers registered last first, and multiprocessing registers its own (which finalises the
queues' semaphores) when multiprocessing.util is first imported. Registered here, before that,
end_resource_tracker runs after it: once the semaphores are gone, the tracker has nothing left to clean up,
and innosim waits for it instead of leaving it to notice, a moment after innosim's exit, that its pipe has
closed. On kill -9 or a crash nothing runs at exit, and the tracker ends by itself as before.
"""

from __future__ import annotations

import atexit

from .lifeline import end_resource_tracker

atexit.register(end_resource_tracker)
