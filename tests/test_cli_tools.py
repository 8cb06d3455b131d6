"""The `karuta` command's own answers: tool list, unknown tool names, the game's --help."""

from __future__ import annotations

import subprocess
import sys

from karuta import cli
from karuta.modes import registry
from tool_locales import ROOT, english_sentences, run_in_both_locales, tool_env


def test_an_unknown_tool_is_named_and_the_tools_are_listed_with_exit_2():
    en, ja = run_in_both_locales(["nosuchtool"])
    assert en.returncode == 2
    for run in (en, ja):
        assert run.stdout == ""
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert "nosuchtool" in lines[0]
        assert all(name in lines[0] for name in cli.TOOLS)
    assert "no tool named 'nosuchtool'" in en.stderr
    assert "usage: python main.py" not in en.stderr  # not the game's option parser


def test_karuta_help_lists_every_tool_with_its_help_in_both_languages():
    en, ja = run_in_both_locales(["--help"])
    assert en.returncode == 0
    for name in ("serve", "publish", "qr", "build-web", "deck"):
        assert f"  {name} " in en.stdout and f"  {name} " in ja.stdout
    assert "try the built site on this computer" in en.stdout
    assert "ビルドしたサイトをこのコンピューターで試す" in ja.stdout


def test_game_help_lists_every_scene_that_scene_accepts():
    out = subprocess.run([sys.executable, "main.py", "--help"], cwd=ROOT, env=tool_env("C.UTF-8"),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    listed = out.stdout.split("scenes for --scene:")[1]
    names = [n.strip() for n in listed.replace("\n", " ").split(",")]
    assert names == registry.scene_names()
    assert "see the list below" not in out.stdout


def test_english_sentence_detector_tells_prose_from_commands():
    assert english_sentences("karuta: no tool named 'x' (tools: deck, qr)")
    assert not english_sentences("使い方: karuta voice decks/<id> [--force]  karuta serve --dir build/web")
    assert not english_sentences("https://example.org/karuta/ と GitHub Pages")
