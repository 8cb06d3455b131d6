"""出会ってカルタ headless: links, scans and codes reach the met screen; the collection is kept and can be restored."""

from __future__ import annotations

import json
import os

import pygame
import zxingcpp
from PIL import Image

from karuta.app.platform import Platform
from karuta.engine import links
from karuta.modes.meet import state
from karuta.modes.meet.book import BookScene
from karuta.modes.meet.facilitator import ExportScene, FacilitatorScene
from karuta.modes.meet.home import MeetHomeScene, ScanWaitScene
from karuta.modes.meet.keypad import KeypadScene
from karuta.modes.meet.mapview import MapScene
from karuta.modes.meet.met import MetScene, RestoredScene
from karuta.modes.meet.refused import RefusedScene

BASE = "https://school.example/karuta/"


class CameraPlatform(Platform):
    """The web page's scanner as the game sees it: a camera that can be opened, and a position hint."""

    def __init__(self, *a, camera=True, position=None, **kw):
        super().__init__(*a, **kw)
        self.camera = camera
        self.started = 0
        self.cancelled = 0
        self._position = position

    def can_scan(self) -> bool:
        return self.camera

    def start_scan(self) -> bool:
        self.started += 1
        return self.camera

    def cancel_scan(self) -> None:
        self.cancelled += 1

    def position(self):
        return self._position


def link(app, number: int) -> str:
    return links.card_link(BASE, app.deck, number)


def collected(app) -> dict:
    return dict(state.load(app).met)


def hold(driver, pos, seconds: float) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    driver.frames(int(seconds * 60))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    driver.frames(2)


def enter_code(driver, code: str) -> None:
    kana, digits = code.split("-")
    driver.press(f"kana:{kana}")
    for d in digits:
        driver.press(f"digit:{d}")
    driver.press("ok")


# ---------------------------------------------------------------- opening links


def test_open_url_goes_to_the_met_screen_then_the_collection(make_app):
    d = make_app("--open-url", link(make_app().app, 12))
    top = d.app.scenes.top
    assert isinstance(top, MetScene) and top.card.number == 12 and top.outcome.new
    assert set(collected(d.app)) == {12}
    d.frames(30)
    d.press("book")
    book = d.app.scenes.top
    assert isinstance(book, BookScene) and book.collection.progress(d.app.deck) == (1, 44)
    d.press("back")
    assert isinstance(d.app.scenes.top, MeetHomeScene)
    d.press("back")
    assert d.app.scenes.top.name == "title"


def test_a_tampered_link_is_refused_kindly_and_collects_nothing(make_app):
    d = make_app()
    good = link(d.app, 12)
    head, code = good.split("?c=")
    tampered = links.decode_query(code).replace("card=12", "card=13")
    d = make_app("--open-url", head + "?" + links.encode_query(tampered))
    top = d.app.scenes.top
    assert isinstance(top, RefusedScene) and top.reason == links.BAD_CHECK
    d.frames(2)
    assert collected(d.app) == {}
    d.press("home")
    assert isinstance(d.app.scenes.top, MeetHomeScene)


def test_web_launch_parameters_open_the_card(make_app):
    d = make_app()
    k = links.card_check(d.app.deck, 7)
    d = make_app(platform=Platform(data_dir=str(d.app.platform.data_dir), params={"deck": "demo", "card": "7", "k": k}))
    assert isinstance(d.app.scenes.top, MetScene) and d.app.scenes.top.card.number == 7
    bad = make_app(platform=Platform(data_dir=str(d.app.platform.data_dir),
                                     params={"deck": "demo", "card": "8", "k": k}))
    assert isinstance(bad.app.scenes.top, RefusedScene) and bad.app.scenes.top.reason == links.BAD_CHECK
    plain = make_app(platform=Platform(data_dir=str(d.app.platform.data_dir), params={"deck": "demo"}))
    assert plain.app.scenes.top.name == "title"  # choosing a deck by URL is not a card link


# ---------------------------------------------------------------- scanning and the keypad


def test_in_game_scan_and_keypad_reach_the_same_met_screen(make_app):
    d = make_app("--scene", "meet")
    d.app.platform.inject_scan(link(d.app, 20) + "\n")
    d.frames(2)
    by_scan = d.app.scenes.top
    assert isinstance(by_scan, MetScene) and by_scan.card.number == 20 and by_scan.outcome.new
    d.press("next")
    assert isinstance(d.app.scenes.top, MeetHomeScene)

    d.press("keypad")
    assert isinstance(d.app.scenes.top, KeypadScene)
    enter_code(d, links.signpost_code(d.app.deck, 20))
    by_code = d.app.scenes.top
    assert isinstance(by_code, MetScene) and by_code.card.number == 20
    assert not by_code.outcome.new  # met again, and the screen says so
    assert "また" in by_code._headline() and "まえに であったのは" in by_code._met_line()
    assert set(collected(d.app)) == {20}


def test_scan_button_opens_the_camera_and_takes_its_result(make_app):
    d = make_app("--scene", "meet", platform=CameraPlatform())
    d.press("scan")
    assert d.app.platform.started == 1 and isinstance(d.app.scenes.top, ScanWaitScene)
    d.frames(10)
    d.app.platform.inject_scan(link(d.app, 3))
    d.frames(2)
    assert isinstance(d.app.scenes.top, MetScene) and d.app.scenes.top.card.number == 3
    d.press("next")
    assert isinstance(d.app.scenes.top, MeetHomeScene)  # the wait screen was replaced, not left behind


def test_cancelling_the_camera_returns_home(make_app):
    d = make_app("--scene", "meet", platform=CameraPlatform())
    d.press("scan")
    d.press("cancel")
    assert d.app.platform.cancelled == 1 and isinstance(d.app.scenes.top, MeetHomeScene)


def test_without_a_camera_the_keypad_is_offered(make_app):
    d = make_app("--scene", "meet", platform=CameraPlatform(camera=False))
    d.press("scan")
    top = d.app.scenes.top
    assert isinstance(top, KeypadScene) and top.camera_missing


def test_camera_refused_while_waiting_moves_to_the_keypad(make_app):
    d = make_app("--scene", "meet", platform=CameraPlatform())
    d.press("scan")
    d.app.platform.camera = False  # the page reports the permission was refused
    d.frames(40)
    assert isinstance(d.app.scenes.top, KeypadScene) and d.app.scenes.top.camera_missing


def test_scanning_something_else_is_refused_with_a_way_back(make_app):
    d = make_app("--scene", "meet")
    d.app.platform.inject_scan("https://shop.example/item?id=5")
    d.frames(2)
    top = d.app.scenes.top
    assert isinstance(top, RefusedScene) and top.reason == links.NOT_LINK
    d.press("keypad")
    assert isinstance(d.app.scenes.top, KeypadScene)
    d.press("back")
    assert isinstance(d.app.scenes.top, MeetHomeScene)


def test_a_wrong_code_is_refused_and_can_be_typed_again(make_app):
    d = make_app("--scene", "keypad")
    code = links.signpost_code(d.app.deck, 5)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    d.press(f"kana:{code[0]}")
    d.press("ok")  # not enough digits yet: nothing happens
    assert isinstance(d.app.scenes.top, KeypadScene)
    for ch in wrong[2:]:
        d.press(f"digit:{ch}")
    d.press("ok")
    top = d.app.scenes.top
    assert isinstance(top, RefusedScene) and top.reason == links.BAD_CODE
    d.press("retry")
    assert isinstance(d.app.scenes.top, KeypadScene)
    enter_code(d, code)
    assert isinstance(d.app.scenes.top, MetScene) and d.app.scenes.top.card.number == 5


def test_keypad_delete_steps_back_through_digits_and_kana(make_app):
    d = make_app("--scene", "keypad")
    pad = d.app.scenes.top
    d.press("kana:か")
    d.press("digit:1")
    d.press("digit:2")
    assert pad.code == "か-12"
    d.press("del")
    d.press("del")
    assert pad.code == "か-"
    d.press("del")
    assert pad.kana is None


# ---------------------------------------------------------------- keeping the collection


def test_collection_survives_a_restart(make_app):
    d = make_app("--scene", "meet")
    for n in (1, 2, 3):
        d.app.platform.inject_scan(link(d.app, n))
        d.frames(2)
        d.press("next")
    again = make_app("--scene", "book")
    assert set(again.app.scenes.top.collection.met) == {1, 2, 3}


def test_a_corrupted_save_falls_back_to_the_last_good_copy_and_says_so(make_app):
    d = make_app("--scene", "meet")
    for n in (1, 2, 3):
        d.app.platform.inject_scan(link(d.app, n))
        d.frames(2)
        d.press("next")
    path = os.path.join(d.app.platform.data_dir, "collection.demo.json")
    with open(path, "r+", encoding="utf-8") as f:
        text = f.read()
        f.seek(0)
        f.write(text[: len(text) // 2])  # a write cut off half-way
        f.truncate()
    again = make_app("--scene", "book")
    again.frames(2)
    assert set(again.app.scenes.top.collection.met) == {1, 2}  # the last good copy, one meeting older
    assert any("まえのデータにもどしました" in m for m, _ in again.app._toasts)


def test_stored_record_holds_only_cards_and_dates(make_app):
    d = make_app("--scene", "map", platform=CameraPlatform(position=(36.335, 139.095, 50.0)))
    d.frames(70)
    d.app.platform.inject_scan(link(d.app, 4))
    d.press("back")
    d.app.scenes.push(MeetHomeScene(d.app))
    d.frames(2)
    with open(os.path.join(d.app.platform.data_dir, "collection.demo.json"), encoding="utf-8") as f:
        record = json.loads(json.loads(f.read())["data"])
    assert set(record) == {"format", "deck", "met", "last", "session"}
    assert "36.335" not in json.dumps(record)  # the position hint is never stored


# ---------------------------------------------------------------- book, map, facilitator


def test_book_fills_slots_with_dates_and_celebrates_a_row(make_app):
    d = make_app("--scene", "meet")
    a_row = [c.number for c in d.app.deck.cards if c.kana in "あいうえお"]
    for n in a_row:
        d.app.platform.inject_scan(link(d.app, n))
        d.frames(2)
        met = d.app.scenes.top
        if n != a_row[-1]:
            d.press("next")
    assert met.outcome.rows_completed == ("あ行",)
    assert any("あ行" in b for b in met._banners())
    d.press("book")
    book = d.app.scenes.top
    assert isinstance(book, BookScene) and book.confetti is not None
    first_line = book.lines()[0]
    assert first_line[0] == "あ行" and first_line[2] is True
    # tapping a met slot shows the card again; an empty slot does not open anything
    slots = dict((n, r) for r, n in book.slots())
    d.tap(slots[a_row[0]].center)
    assert isinstance(d.app.scenes.top, MetScene) and d.app.scenes.top.review
    d.press("back")
    unmet = next(n for n in slots if n not in a_row)
    d.tap(slots[unmet].center)
    assert d.app.scenes.top is book


def test_map_tells_met_from_unmet_and_points_to_the_nearest(make_app):
    d = make_app("--scene", "meet")
    d.app.platform.inject_scan(link(d.app, 1))
    d.frames(2)
    d.press("next")
    d.press("map")
    m = d.app.scenes.top
    assert isinstance(m, MapScene)
    target = m.collection.next_target(d.app.deck)
    assert target is not None and target.card.number != 1
    # every signpost is inside the map area
    for card in m.placed:
        assert m.area.collidepoint(m.proj.to_screen(card.lat, card.lon))
    # tapping the not-met target selects it; tapping the met card opens it
    d.tap(m.marker_pos(target.card))
    assert m.selected == target.card
    met_card = d.app.deck.card(1)
    d.tap(m.marker_pos(met_card))
    assert isinstance(d.app.scenes.top, MetScene) and d.app.scenes.top.card.number == 1


def test_facilitator_screen_needs_a_long_press_and_reset_a_longer_one(make_app):
    d = make_app("--scene", "meet")
    for n in (1, 2):
        d.app.platform.inject_scan(link(d.app, n))
        d.frames(2)
        d.press("next")
    teacher = d.button("facilitator").rect.center
    d.tap(teacher)
    assert isinstance(d.app.scenes.top, MeetHomeScene)  # a child's tap does nothing
    hold(d, teacher, 2.2)
    assert isinstance(d.app.scenes.top, FacilitatorScene)
    reset = d.button("reset").rect.center
    d.tap(reset)
    hold(d, reset, 1.5)  # let go too early
    assert set(collected(d.app)) == {1, 2}
    hold(d, reset, 3.2)
    assert collected(d.app) == {}


def test_facilitator_limits_the_session_to_cards_near_one(make_app):
    d = make_app("--scene", "meet")
    d.app.scenes.push(FacilitatorScene(d.app))
    d.press("card:9")
    d.press("near")
    session = state.load(d.app).session
    assert session is not None and len(session) == 8 and 9 in session
    d.press("back")
    d.frames(2)
    home = d.app.scenes.top
    assert home.collection.session == session
    d.app.scenes.push(FacilitatorScene(d.app))
    d.press("all")
    assert state.load(d.app).session is None


def test_export_qr_decodes_and_restores_the_collection(make_app, tmp_path):
    d = make_app("--scene", "meet")
    for n in (3, 9, 30):
        d.app.platform.inject_scan(link(d.app, n))
        d.frames(2)
        d.press("next")
    before = collected(d.app)
    d.app.scenes.push(ExportScene(d.app))
    d.frames(2)
    export = d.app.scenes.top
    png = tmp_path / "export.png"
    pygame.image.save(export.image, str(png))
    found = zxingcpp.read_barcodes(Image.open(png))
    assert [r.text for r in found] == [export.link]

    # Safari cleared the storage: the collection is gone, then the backup is scanned
    d.app.store.delete(state.key(d.app.deck))
    d.app.scenes.reset(MeetHomeScene(d.app))
    d.frames(1)
    d.app.platform.inject_scan(found[0].text)
    d.frames(2)
    restored = d.app.scenes.top
    assert isinstance(restored, RestoredScene) and restored.added == 3
    assert collected(d.app) == before
    d.press("book")
    assert isinstance(d.app.scenes.top, BookScene)


def test_title_offers_the_meet_mode(make_app):
    d = make_app()
    d.press("meet")
    assert isinstance(d.app.scenes.top, MeetHomeScene)


def test_the_next_card_hint_names_its_title_with_furigana(make_app):
    """Children read hiragana: the hint carries the title's furigana markup, drawn as ruby over its kanji."""
    d = make_app("--open-url", link(make_app().app, 2))  # from い, the nearest card still to meet has a kanji title
    d.frames(30)
    d.press("back")
    home = d.app.scenes.top
    assert isinstance(home, MeetHomeScene)
    first = home._hint[0][0]
    target = home.collection.next_target(d.app.deck, None).card
    assert first.endswith(target.title) and "(" in target.title, first  # markup, not title_plain
    plain = d.app.fonts.render(first.replace(target.title, target.title_plain), 32, (0, 0, 0), "bold")
    drawn = d.app.fonts.ruby(first, 32, (0, 0, 0), "bold", align="left")
    assert drawn.get_height() > plain.get_height()  # the readings sit above the kanji
