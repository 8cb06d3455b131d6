import pygame

from karuta.app.input import DOWN, MOVE, UP, InputMapper, Key, Pointer


def ev(t, **kw):
    return pygame.event.Event(t, **kw)


def test_mouse_press_and_release_become_a_tap():
    m = InputMapper((1024, 768))
    down = m.map(ev(pygame.MOUSEBUTTONDOWN, pos=(100, 200), button=1), 1.0)
    up = m.map(ev(pygame.MOUSEBUTTONUP, pos=(105, 204), button=1), 1.2)
    assert down == Pointer(DOWN, (100, 200), 0, 1.0, (100, 200))
    assert up.kind == UP and up.is_tap and up.start == (100, 200)


def test_a_touch_does_not_count_twice():
    m = InputMapper((1024, 768))
    finger = m.map(ev(pygame.FINGERDOWN, x=0.5, y=0.5, finger_id=3, touch_id=1, dx=0, dy=0, pressure=1), 0.0)
    synth = m.map(ev(pygame.MOUSEBUTTONDOWN, pos=(512, 384), button=1, touch=True), 0.0)
    assert finger == Pointer(DOWN, (512, 384), 4, 0.0, (512, 384))
    assert synth is None


def test_fingers_have_their_own_ids_and_drag_is_not_a_tap():
    m = InputMapper((1024, 768))
    m.map(ev(pygame.FINGERDOWN, x=0.1, y=0.1, finger_id=0, touch_id=1, dx=0, dy=0, pressure=1), 0.0)
    m.map(ev(pygame.FINGERDOWN, x=0.9, y=0.9, finger_id=1, touch_id=1, dx=0, dy=0, pressure=1), 0.01)
    move = m.map(ev(pygame.FINGERMOTION, x=0.3, y=0.1, finger_id=0, touch_id=1, dx=0, dy=0, pressure=1), 0.1)
    up0 = m.map(ev(pygame.FINGERUP, x=0.3, y=0.1, finger_id=0, touch_id=1, dx=0, dy=0, pressure=1), 0.2)
    up1 = m.map(ev(pygame.FINGERUP, x=0.9, y=0.9, finger_id=1, touch_id=1, dx=0, dy=0, pressure=1), 0.2)
    assert move.kind == MOVE and move.id == 1
    assert up0.id == 1 and not up0.is_tap
    assert up1.id == 2 and up1.is_tap


def test_release_without_press_and_wheel_are_ignored():
    m = InputMapper((1024, 768))
    assert m.map(ev(pygame.MOUSEBUTTONUP, pos=(1, 1), button=1), 0) is None
    assert m.map(ev(pygame.MOUSEBUTTONDOWN, pos=(1, 1), button=4), 0) is None
    assert m.map(ev(pygame.MOUSEMOTION, pos=(1, 1), rel=(0, 0), buttons=(0, 0, 0)), 0) is None


def test_positions_are_clamped_to_the_logical_screen():
    m = InputMapper((1024, 768))
    p = m.map(ev(pygame.FINGERDOWN, x=1.5, y=-0.2, finger_id=0, touch_id=1, dx=0, dy=0, pressure=1), 0)
    assert p.pos == (1023, 0)


def test_keys_pass_through():
    m = InputMapper((1024, 768))
    assert m.map(ev(pygame.KEYDOWN, key=pygame.K_ESCAPE, unicode=""), 0) == Key(pygame.K_ESCAPE, "")
