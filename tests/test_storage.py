import json
import os

from karuta.app.platform import Platform, WebPlatform, parse_query
from karuta.app.storage import Store


def test_round_trip_and_default(tmp_path):
    store = Store(Platform(data_dir=str(tmp_path)))
    assert store.load("scores", {"x": 0}) == {"x": 0}
    assert store.save("scores", {"demo": 120})
    assert Store(Platform(data_dir=str(tmp_path))).load("scores", {}) == {"demo": 120}
    assert store.take_notices() == []


def test_corrupt_record_restores_last_good_copy_and_tells_once(tmp_path):
    platform = Platform(data_dir=str(tmp_path))
    store = Store(platform)
    store.save("collection.demo", {"met": [1]})
    store.save("collection.demo", {"met": [1, 2]})
    path = os.path.join(str(tmp_path), "collection.demo.json")
    with open(path, "r+", encoding="utf-8") as f:  # truncate mid-write, as a crash would
        data = f.read()
        f.seek(0)
        f.write(data[: len(data) // 2])
        f.truncate()
    store2 = Store(Platform(data_dir=str(tmp_path)))
    assert store2.load("collection.demo", {}) == {"met": [1]}
    notices = store2.take_notices()
    assert len(notices) == 1 and "まえのデータ" in notices[0]
    assert store2.take_notices() == []
    # the good copy is back in place
    assert Store(Platform(data_dir=str(tmp_path))).load("collection.demo", {}) == {"met": [1]}


def test_tampered_checksum_and_foreign_file_use_defaults(tmp_path):
    platform = Platform(data_dir=str(tmp_path))
    store = Store(platform)
    store.save("settings", {"voice": True})
    env = json.loads(platform.storage_get("settings"))
    env["data"] = env["data"].replace("true", "false")
    platform.storage_set("settings", json.dumps(env))
    platform.storage_delete("settings.bak")
    assert store.load("settings", {"default": 1}) == {"default": 1}
    platform.storage_set("scores", json.dumps({"something": "else"}))
    assert store.load("scores", []) == []
    assert len(store.take_notices()) == 2


def test_a_corrupt_record_never_overwrites_the_backup(tmp_path):
    platform = Platform(data_dir=str(tmp_path))
    store = Store(platform)
    store.save("scores", {"a": 1})
    store.save("scores", {"a": 2})          # backup now holds a=1
    platform.storage_set("scores", "{garbage")
    store.save("scores", {"a": 3})          # must not copy the garbage over the backup
    platform.storage_set("scores", "{garbage")
    assert store.load("scores", {}) == {"a": 1}


def test_validator_rejecting_content_counts_as_corrupt(tmp_path):
    store = Store(Platform(data_dir=str(tmp_path)))
    store.save("scores", [1, 2, 3])

    def must_be_dict(data):
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
        return data

    assert store.load("scores", {}, must_be_dict) == {}


class FakeStorage:
    def __init__(self):
        self.items = {}

    def getItem(self, key):
        return self.items.get(key)

    def setItem(self, key, value):
        self.items[key] = value

    def removeItem(self, key):
        self.items.pop(key, None)


class FakeLocation:
    search = "?deck=demo&card=12&k=ABC123"


class FakeWindow:
    def __init__(self):
        self.localStorage = FakeStorage()
        self.location = FakeLocation()


def test_web_storage_goes_to_local_storage_with_a_prefix():
    window = FakeWindow()
    store = Store(WebPlatform(window))
    store.save("settings", {"voice": False})
    assert any(k.startswith("karuta.settings") for k in window.localStorage.items)
    assert Store(WebPlatform(window)).load("settings", {}) == {"voice": False}
    window.localStorage.items["karuta.settings"] = "null"  # what Safari can hand back
    assert WebPlatform(window).storage_get("settings") is None


def test_launch_params_from_query_string():
    assert WebPlatform(FakeWindow()).launch_params() == {"deck": "demo", "card": "12", "k": "ABC123"}
    assert parse_query("?a=1&a=2&b=") == {"a": "1", "b": ""}


class EvalWindow(FakeWindow):
    def __init__(self, answers):
        super().__init__()
        self.answers = answers
        self.calls = []

    def eval(self, code):
        self.calls.append(code)
        for needle, answer in self.answers.items():
            if needle in code:
                return answer
        return None


def test_web_scan_state_and_page_url_go_through_the_page():
    FakeLocation.origin, FakeLocation.pathname = "https://example.org", "/karuta/"
    window = EvalWindow({"karutaScan.state": "scanning", "karutaScan.take": "https://example.org/?deck=demo"})
    web = WebPlatform(window)
    assert web.scan_active() is True
    assert web.poll_scan() == "https://example.org/?deck=demo"
    assert web.page_url() == "https://example.org/karuta/"
    window.answers["karutaScan.state"] = "denied"
    assert web.scan_active() is False
    desktop = Platform(data_dir="/nonexistent")
    assert desktop.scan_active() is False and desktop.page_url() == ""
