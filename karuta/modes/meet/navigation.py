"""Which meet screen leads where: the one module that opens links and moves between the meet screens.

Screens call these functions instead of importing each other. This module imports the screen
modules as modules (not their names), and the screens import it the same way: the cycle resolves
when a function is called, by which time every module is loaded (karuta/modes/meet/__init__.py
imports this module first).
"""

from __future__ import annotations

from ...app.scene import Scene
from ...engine import links
from . import book, facilitator, home, keypad, met, refused, state


def open_link(app, link: str | dict, source: str) -> Scene:
    """The screen for a link: the met screen, the restore screen, or a kind refusal.

    ``link`` is a scanned or opened text, a signpost code (``source == "code"``) or the page's
    launch parameters (a dict). ``source`` ("scan", "launch", "code") is logged with a refusal and
    decides the refusal's way back.
    """
    if isinstance(link, dict):
        parse = links.parse_params
    elif source == "code":
        parse = links.parse_code
    else:
        parse = links.parse_link
    try:
        result = parse(link, state.decks_in_order(app))
    except links.LinkError as err:
        state.log_refusal(source, err)
        return refused.RefusedScene(app, err.reason, source)
    return _opened(app, result)


def _opened(app, result) -> Scene:
    deck = next(d for d in app.valid_decks if d.id == result.deck_id)
    if app.deck is None or app.deck.id != deck.id:
        app.use_deck(deck)  # the child is standing at this deck's signpost
    collection = state.load(app, deck)
    if isinstance(result, links.CollectionLink):
        before = collection.progress(deck)[0]
        added = collection.merge(deck, result.met)
        state.save(app, collection, deck)
        return met.RestoredScene(app, added, before)
    outcome = collection.meet(deck, result.number, state.today())
    state.save(app, collection, deck)
    return met.MetScene(app, deck.card(result.number), outcome)


def start_scan(app) -> None:
    """Open the camera through the page; when there is none (or it is refused) go to the keypad."""
    if app.platform.can_scan() and app.platform.start_scan():
        app.scenes.push(home.ScanWaitScene(app))
    else:
        app.scenes.push(keypad.KeypadScene(app, camera_missing=True))


def keypad_screen(app, camera_missing: bool = False) -> Scene:
    return keypad.KeypadScene(app, camera_missing=camera_missing)


def facilitator_screen(app) -> Scene:
    return facilitator.FacilitatorScene(app)


def review(app, card) -> Scene:
    """A card met before, looked at again from the book."""
    return met.MetScene(app, card, None, review=True)


def home_or_back(app) -> None:
    """Back to the screen below; alone on the stack (opened from a link), to the meet home."""
    if len(app.scenes) > 1:
        app.scenes.pop()
    else:
        app.scenes.replace(home.MeetHomeScene(app))


def leave_to(app, target: str, current: Scene) -> None:
    """Go to the book (``"book"``) or the meet home (``"home"``): back to it when it is below on the stack,
    else instead of this scene.

    A card opened from a link starts alone on the stack; it then leads to the book, and
    the book to the meet home, so a child is never dropped at an empty screen.
    """
    kind = {"book": book.BookScene, "home": home.MeetHomeScene}[target]
    stack = list(app.scenes)
    if any(isinstance(s, kind) for s in stack[:-1]):
        while app.scenes.top is not None and not isinstance(app.scenes.top, kind):
            app.scenes.pop()
        return
    if target == "home" and len(stack) > 1:
        app.scenes.pop()
        return
    if target == "book":
        app.scenes.replace(book.BookScene(app, celebrate=getattr(current, "outcome", None)))
    else:
        app.scenes.replace(home.MeetHomeScene(app))
