"""Save data corrupted between two runs of the game, on purpose: random bytes, truncation, foreign JSON, a
record of another key, a tampered checksum, well-formed records holding foreign data. For every key the
game saves under, the next run starts, restores the last good copy (or uses the default), tells the
player once, and loses nothing else."""

from __future__ import annotations

import copy
import itertools
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from karuta.app.platform import Platform, WebPlatform
from karuta.app.settings import DEFAULTS
from karuta.app.storage import Store
from karuta.modes import registry
from karuta.tools.soak import make_app

RESTORED, RESET = "まえのデータにもどしました", "はじめからにしました"
MISSING = object()
_cases = itertools.count()


class Loads:
    """Store.load watched: what each key gave back, with the default and validator the game passed."""

    def __init__(self, monkeypatch):
        self.calls: list[tuple] = []
        original = Store.load

        def spy(store, key, default, validate=None):
            result = original(store, key, default, validate)
            self.calls.append((key, copy.deepcopy(default), validate, result))
            return result

        monkeypatch.setattr(Store, "load", spy)

    def last(self, key):
        found = [c for c in self.calls if c[0] == key]
        return found[-1] if found else None


def visit(app, scenes) -> None:
    """Open each scene for two frames, as a child moving through the menus would (no input, no saves)."""
    for name in scenes:
        app.scenes.reset(app.make_scene(name))
        app.step(1 / 60)
        app.step(1 / 60)


def toasts(app) -> list[str]:
    return [message for message, _ in app._toasts]


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """Every key the game loads, found by opening every scene once: key -> (default, validate, scenes)."""
    mp = pytest.MonkeyPatch()
    try:
        loads = Loads(mp)
        app = make_app("title", data_dir=str(tmp_path_factory.mktemp("discover")), autoplay=False)
        found = {"settings": {"scenes": []}}
        for name in registry.scene_names():
            before = len(loads.calls)
            visit(app, [name])
            for key, default, validate, _ in loads.calls[before:]:
                found.setdefault(key, {"scenes": []})["scenes"].append(name)
        for key, info in found.items():
            info["scenes"] = list(dict.fromkeys(info["scenes"]))
            _, default, validate, _ = loads.last(key)
            info.update(default=default, validate=validate, good=None)
    finally:
        mp.undo()
    for key, info in found.items():
        info["good"] = _a_good_value(key, info, str(tmp_path_factory.mktemp("play")))
    missing = [k for k, info in found.items() if info["good"] is MISSING]
    assert not missing, f"no good record could be made for {missing} (autoplay never saved one)"
    return found


def _a_good_value(key: str, info: dict, folder: str):
    """A value the game accepts for ``key``: its default when valid (settings: chosen), else one made by play."""
    if key == "settings":
        return {"volume": 0.6, "kana_only": False, "voice": False}
    if judge(key, record(key, info["default"]), info["validate"]) is not MISSING:
        return copy.deepcopy(info["default"])
    # e.g. a collection, whose default is "none yet": let autoplay make one, as a child's play would
    app = make_app(info["scenes"][0], data_dir=folder, autoplay=True, seed=3)
    for _ in range(2000):
        app.step(0.25)
        raw = app.platform.storage_get(key)
        if raw:
            return judge(key, raw, info["validate"])
    return MISSING


def good_values(key: str, info: dict) -> tuple:
    """An older and a newer good value (they differ for settings, so a restore is visible)."""
    if key == "settings":
        return {"volume": 0.3, "kana_only": True}, copy.deepcopy(info["good"])
    return copy.deepcopy(info["good"]), copy.deepcopy(info["good"])


def record(key: str, value) -> str:
    """The exact string the game stores for ``value`` under ``key`` (made by a scratch Store)."""
    scratch = _MemoryPlatform()
    Store(scratch).save(key, value)
    return scratch.items[key]


class _MemoryPlatform(Platform):
    def __init__(self):
        super().__init__(data_dir="/nonexistent")
        self.items: dict[str, str] = {}

    def storage_get(self, key):
        return self.items.get(key)

    def storage_set(self, key, value):
        self.items[key] = value

    def storage_delete(self, key):
        self.items.pop(key, None)


def judge(key: str, raw: str, validate) -> object:
    """What a record alone is worth: its validated value, or MISSING when the game must not use it."""
    platform = _MemoryPlatform()
    platform.items[key] = raw
    store = Store(platform)
    value = store.load(key, MISSING, validate)
    return MISSING if store.take_notices() else value


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=4), max_leaves=12)


@st.composite
def corruptions(draw, good: str, other: str):
    kind = draw(st.sampled_from(["bytes", "truncate", "json", "other_key", "tamper", "foreign_data", "empty"]))
    if kind == "bytes":
        return kind, draw(st.binary(max_size=300))
    if kind == "truncate":
        return kind, good[:draw(st.integers(0, max(0, len(good) - 1)))].encode("utf-8")
    if kind == "json":
        return kind, json.dumps(draw(json_values)).encode("utf-8")
    if kind == "other_key":
        return kind, other.encode("utf-8")
    if kind == "tamper":
        env = json.loads(good)
        env["data"] = env["data"][:-1] + ("0" if env["data"][-1:] != "0" else "1")
        return kind, json.dumps(env, ensure_ascii=False).encode("utf-8")
    if kind == "foreign_data":
        return kind, draw(json_values)  # stored below in a well-formed record with a right checksum
    return kind, b""


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_corrupted_save_is_restored_or_reset_told_once_and_nothing_else_is_lost(keys, tmp_path, monkeypatch, data):
    key = data.draw(st.sampled_from(sorted(keys)), label="key")
    folder = tmp_path / f"case{next(_cases)}"
    platform = Platform(data_dir=str(folder))
    written = {}
    for k, info in keys.items():
        old, new = good_values(k, info)
        platform.storage_set(k + ".bak", record(k, old))
        platform.storage_set(k, record(k, new))
        written[k] = (old, new)
    other = record("someone.else", {"x": 1})
    kind, corrupt = data.draw(corruptions(record(key, written[key][1]), other), label="corruption")
    if kind == "foreign_data":  # checksum-valid, as an older version or a hand edit could leave it (Infinity too)
        corrupt = any_record(key, corrupt).encode("utf-8")
    with open(platform._key_path(key), "wb") as f:
        f.write(corrupt)
    backup = data.draw(st.sampled_from(["good", "none", "garbage"]), label="backup")
    if backup == "none":
        platform.storage_delete(key + ".bak")
    elif backup == "garbage":
        platform.storage_set(key + ".bak", "{garbage")
    before = {name: (folder / name).read_bytes() for name in os.listdir(folder)}

    loads = Loads(monkeypatch)
    app = make_app("title", data_dir=str(folder), autoplay=False)
    visit(app, ["title"] + keys[key]["scenes"])
    call = loads.last(key)
    assert call is not None, f"{key} was not loaded"
    _, default, validate, got = call

    raw = corrupt.decode("utf-8", "replace")
    alone = judge(key, raw, validate)
    said = [m for m in toasts(app) if RESTORED in m or RESET in m]
    if alone is not MISSING:  # the "corruption" left a usable record (e.g. foreign data the mode accepts)
        assert got == alone and said == []
    elif backup == "good":
        assert got == judge(key, record(key, written[key][0]), validate)
        assert len(said) == 1 and RESTORED in said[0]
    else:
        assert got == default
        # Once: the unreadable record is moved aside, so later loads find nothing to complain about.
        assert said and all(RESET in m for m in said) and len(set(said)) == 1

    # nothing else lost: every other key loaded what was saved, and no other file changed
    for k in keys:
        if k != key and loads.last(k) is not None:
            assert loads.last(k)[3] == judge(k, record(k, written[k][1]), loads.last(k)[2]), k
    after = {name: (folder / name).read_bytes() for name in os.listdir(folder)}
    for name, content in before.items():
        if name not in (f"{key}.json", f"{key}.bak.json"):
            assert after.get(name) == content, f"{name} changed"
    if backup == "good":
        assert after[f"{key}.bak.json"] == before[f"{key}.bak.json"], "the last good copy was lost"

    if alone is MISSING and backup == "good":  # restored: the next run has nothing more to say
        app2 = make_app("title", data_dir=str(folder), autoplay=False)
        visit(app2, ["title"] + keys[key]["scenes"])
        assert [m for m in toasts(app2) if RESTORED in m or RESET in m] == []
        assert loads.last(key)[3] == got


def test_every_save_key_the_game_uses_is_covered(keys):
    assert "settings" in keys
    for key, info in keys.items():
        assert info["validate"] is not None or key == "settings", f"{key} is loaded without a validator"


def test_corrupt_settings_with_a_good_copy_restore_the_players_choices(tmp_path):
    folder = tmp_path / "data"
    app = make_app("title", data_dir=str(folder), autoplay=False)
    app.settings.set("volume", 0.25)
    app.settings.set("kana_only", True)  # the previous record (volume 0.25) is now the last good copy
    path = folder / "settings.json"
    path.write_bytes(path.read_bytes()[:17])  # cut off, as by a crash or a full disk
    again = make_app("title", data_dir=str(folder), autoplay=False)
    again.step(1 / 60)
    assert again.settings.get("volume") == 0.25
    assert [m for m in toasts(again) if RESTORED in m] and "せってい" in toasts(again)[0]


@pytest.mark.parametrize("stored", ["{garbage", "null", "", "[]", json.dumps({"magic": "karuta-save", "v": 1})])
def test_web_storage_with_garbage_starts_the_game_and_says_so(stored):
    class Storage(dict):
        def getItem(self, k):
            return self.get(k)

        def setItem(self, k, v):
            self[k] = v

        def removeItem(self, k):
            self.pop(k, None)

    class Window:
        localStorage = Storage()
        location = type("L", (), {"search": ""})()

    window = Window()
    window.localStorage["karuta.settings"] = stored
    platform = WebPlatform(window)
    from karuta.app import options
    from karuta.app.game import App

    app = App(options.parse(["--headless", "--scene", "title"]), platform=platform)
    app.scenes.push(app.make_scene("title"))
    app.step(1 / 60)
    assert app.settings.values == DEFAULTS
    told = [m for m in toasts(app) if RESET in m]
    assert len(told) == (0 if stored == "null" else 1)  # Safari's 'null' means "nothing saved"


# An unreadable record with no good copy is moved aside (<key>.bad), so the player is told once,
# not at every start or on every screen that loads it.
def test_a_reset_is_told_once_per_session_even_when_several_screens_load_it(keys, tmp_path):
    many = [k for k, info in keys.items() if len(info["scenes"]) > 1]
    if not many:
        pytest.skip("no key is loaded by more than one screen")
    key = many[0]
    folder = tmp_path / "data"
    Platform(data_dir=str(folder)).storage_set(key, "{garbage")
    app = make_app("title", data_dir=str(folder), autoplay=False)
    visit(app, keys[key]["scenes"])
    assert len([m for m in toasts(app) if RESET in m]) == 1


def test_a_reset_is_told_once_not_at_every_start(tmp_path):
    folder = tmp_path / "data"
    platform = Platform(data_dir=str(folder))
    platform.storage_set("settings", "{garbage")
    first = make_app("title", data_dir=str(folder), autoplay=False)
    first.step(1 / 60)
    assert [m for m in toasts(first) if RESET in m]
    second = make_app("title", data_dir=str(folder), autoplay=False)
    second.step(1 / 60)
    assert [m for m in toasts(second) if RESET in m] == []


# ---------------------------------------------------------------- issue 17: checksum-valid nonsense, odd storage


from karuta.app.settings import CHOICES, RANGES, Settings  # noqa: E402
from karuta.app.storage import MAX_RECORD, _checksum  # noqa: E402


def any_record(key: str, value) -> str:
    """A record with a right checksum around any JSON, NaN and 1e308 included (the game writes neither)."""
    payload = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return json.dumps({"magic": "karuta-save", "v": 1, "key": key, "sum": _checksum(payload), "data": payload})


wild = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e308, -1e308, 5e-324, 0.5, 3, 30, 48])
    | st.text(max_size=30) | st.sampled_from(["give_back", "sit_out", "demo", "x" * 300]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10)


def assert_usable(settings: Settings) -> None:
    for key, default in DEFAULTS.items():
        value = settings.get(key)
        assert type(value) is type(default) or (isinstance(default, float) and type(value) is int), (key, value)
        if key in RANGES:
            low, high = RANGES[key]
            assert low <= value <= high, (key, value)
        if key in CHOICES:
            assert value in CHOICES[key], (key, value)


@settings(max_examples=80, deadline=None)
@given(values=st.dictionaries(st.sampled_from(sorted(DEFAULTS)) | st.text(max_size=10), wild, max_size=8),
       nesting=st.integers(0, 3000))
def test_checksum_valid_settings_holding_anything_give_usable_settings(values, nesting):
    platform = _MemoryPlatform()
    if nesting > 2000:  # deeply nested, checksum-valid: the inner parse must not take the game down
        payload = "[" * nesting + "]" * nesting
        platform.items["settings"] = json.dumps({"magic": "karuta-save", "v": 1, "key": "settings",
                                                 "sum": _checksum(payload), "data": payload})
    else:
        platform.items["settings"] = any_record("settings", values)
    store = Store(platform)
    settings_ = Settings(store)
    assert_usable(settings_)
    settings_.set("volume", 0.5)  # and saving works afterwards, whatever was loaded
    assert len(platform.items["settings"]) <= MAX_RECORD
    assert Settings(Store(platform)).get("volume") == 0.5


STATES = ("missing", "folder", "garbage", "good", "huge", "nested", "empty")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(main=st.sampled_from(STATES), backup=st.sampled_from(STATES))
def test_any_state_of_the_data_folder_starts_and_saves(tmp_path_factory, main, backup):
    folder = tmp_path_factory.mktemp("state")
    platform = Platform(data_dir=str(folder))

    def put(key, state):
        path = platform._key_path(key)
        if state == "folder":
            os.makedirs(os.path.join(path, "inside"))
        elif state == "garbage":
            platform.storage_set(key, "{not json")
        elif state == "good":
            platform.storage_set(key, any_record("settings", {"volume": 0.3}))
        elif state == "huge":
            platform.storage_set(key, any_record("settings", {"volume": 0.3, "pad": "x" * (2 * MAX_RECORD)}))
        elif state == "nested":
            platform.storage_set(key, any_record("settings", {"volume": [[[[[[1e308]]]]]]}))
        elif state == "empty":
            platform.storage_set(key, "")

    put("settings", main)
    put("settings.bak", backup)
    store = Store(platform)
    settings_ = Settings(store)
    assert_usable(settings_)
    # an unreadable record gives the backup's value; a readable one with a nonsensical value, the default
    restorable = main in ("folder", "garbage", "huge", "empty") and backup == "good"
    expected = 0.3 if main == "good" or restorable else DEFAULTS["volume"]
    assert settings_.get("volume") == expected
    if main not in ("missing", "good"):
        assert store.notices  # the player is told something was restored or reset
    settings_.set("volume", 0.6)
    assert Settings(Store(Platform(data_dir=str(folder)))).get("volume") == 0.6
    # nothing a person left there is deleted: a folder in the way was moved aside with its content
    if main == "folder":
        assert any(os.path.isdir(os.path.join(folder, n, "inside")) for n in os.listdir(folder))


def test_a_whole_number_setting_saved_as_a_float_loads_as_an_int_and_a_fraction_is_reset():
    """Found by the fuzzer: {"auto_advance": 0.0} used to load as a float; 2.5 seconds is no setting."""
    platform = _MemoryPlatform()
    platform.items["settings"] = any_record("settings", {"auto_advance": 10.0})
    assert Settings(Store(platform)).get("auto_advance") == 10
    assert type(Settings(Store(platform)).get("auto_advance")) is int
    platform.items["settings"] = any_record("settings", {"auto_advance": 2.5})
    assert Settings(Store(platform)).get("auto_advance") == DEFAULTS["auto_advance"]
