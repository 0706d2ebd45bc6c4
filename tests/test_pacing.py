"""The frame pacer: its schedule, and sleeping in the event queue while nothing changes."""
import pygame
import pytest

from nnsim.app.shell.pacing import FramePacer


@pytest.fixture
def events():
    pygame.display.init()
    pygame.event.clear()
    yield
    pygame.quit()


def test_idle_hands_over_every_queued_event_in_order(events):
    pacer = FramePacer(60)
    for n in range(3):
        pygame.event.post(pygame.event.Event(pygame.USEREVENT, n=n))
    assert [e.n for e in pacer.idle(1)] == [0, 1, 2]
    assert pygame.event.get() == []


def test_idle_with_nothing_queued_returns_no_events_and_restarts_the_schedule(events):
    pacer = FramePacer(60)
    pacer.next = pacer.last = 0.0          # a schedule long past, as after a long pause
    assert pacer.idle(1) == []
    assert pacer.last > 0.0 and pacer.next == pytest.approx(pacer.last + pacer.period)


def test_the_frame_after_idling_counts_as_one_period():
    """The FPS readout after a pause shows 60, not a spike from a frame that looks short."""
    now = [100.0]
    pacer = FramePacer(60, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    pygame.display.init()
    try:
        pacer.idle(1)
        now[0] += 0.004                    # the frame drawn right after the event
        assert pacer.wait() == pytest.approx(1 / 60)
    finally:
        pygame.quit()


def test_a_late_frame_does_not_rush_the_next():
    pacer = FramePacer(60)
    pacer.next -= 1.0                      # a second behind schedule
    pacer.wait()
    assert pacer.next == pytest.approx(pacer.last)
