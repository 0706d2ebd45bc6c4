"""Frame pacing: frames at a steady rate while something on screen moves, none while
nothing does."""
import time

import pygame

IDLE_TIMEOUT_MS = 250   # an idle app still looks round this often (e.g. the engine got ready)


class FramePacer:
    """Shows frames at a steady rate: waits until each frame's slot on an absolute schedule.
    It sleeps all the way: Linux wakes a sleeper within about 0.1 ms, and spinning the last
    millisecond cost 6% of a core at 60 Hz."""

    def __init__(self, fps, clock=time.perf_counter, sleep=time.sleep):
        self.period = 1.0 / fps
        self.clock, self.sleep = clock, sleep
        self.last = self.next = clock()
        self.fps = 0.0

    def wait(self):
        """Wait for the next slot; returns the seconds since the previous one."""
        left = self.next - self.clock()
        if left > 0:
            self.sleep(left)
        now = self.clock()
        dt, self.last = now - self.last, now
        self.next = max(self.next + self.period, now)   # a late frame does not rush the next
        self.fps = 0.9 * self.fps + 0.1 / max(dt, 1e-6)
        return dt

    def idle(self, timeout_ms=IDLE_TIMEOUT_MS):
        """Sleep in SDL's event queue until an event arrives or ``timeout_ms`` pass (no CPU,
        no frame shown); returns the events, none after a timeout. The schedule starts again
        from now, so the idle time counts as no frame's duration (nor does it make the next
        frame look short)."""
        event = pygame.event.wait(timeout_ms)
        self.last = self.clock()
        self.next = self.last + self.period
        return [] if event.type == pygame.NOEVENT else [event, *pygame.event.get()]
