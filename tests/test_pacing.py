"""The frame pacer: its schedule, and sleeping in the event queue while nothing changes."""
import pygame
import pytest

from nnsim.app.pacing import FramePacer


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
    assert pacer.next == pacer.last > 0.0  # the next frame is due now, not ages late


def test_a_late_frame_does_not_rush_the_next():
    pacer = FramePacer(60)
    pacer.next -= 1.0                      # a second behind schedule
    pacer.wait()
    assert pacer.next == pytest.approx(pacer.last)
