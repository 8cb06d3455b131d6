"""The facilitator guide's commands are accepted by the tools as written.

The guide (docs/facilitator-guide.ja.md) is a path a teacher copies line by line, so a renamed
option or subcommand must fail here rather than in a classroom. Each command is parsed by the
parser of the tool that `karuta` hands it to (nothing is run); the whole path was run end to end
by hand on a deck of the open data's size (see the closing note of issue 13).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from karuta.tools import build_web, deck, furigana, poster, publish, qr, serve, texts, voice

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "facilitator-guide.ja.md"
PREFIX = ".venv/bin/karuta "


def guide_commands() -> list[str]:
    """Every line of a fenced block that calls the tools, as the guide prints it."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"^\s*```\n(.*?)^\s*```", text, re.MULTILINE | re.DOTALL)
    return [line.strip()[len(PREFIX):] for block in blocks for line in block.splitlines()
            if line.strip().startswith(PREFIX)]


def parser_for(argv: list[str]):
    """The parser `karuta` (karuta/cli.py and each tool's run) would use, and the arguments it gets."""
    tool, rest = argv[0], argv[1:]
    if tool == "deck" and rest and rest[0] in ("voice", "texts", "furigana"):
        return {"voice": voice, "texts": texts, "furigana": furigana}[rest[0]].build_parser(), rest[1:]
    if tool == "qr" and "--site" in rest:
        return poster.build_parser(), rest
    modules = {"deck": deck, "qr": qr, "build-web": build_web, "serve": serve, "publish": publish}
    assert tool in modules, f"the guide calls an unknown tool: karuta {tool}"
    return modules[tool].build_parser(), rest


def test_the_guide_walks_the_whole_path():
    tools = {" ".join(shlex.split(c)[:2]) for c in guide_commands()}
    for step in ("deck import", "deck texts", "deck furigana", "deck voice", "deck map", "deck validate",
                 "build-web --out", "serve --dir", "publish --base-url", "qr --site", "qr --deck"):
        assert step in tools, f"the guide has no `karuta {step} ...` step"
    text = GUIDE.read_text(encoding="utf-8")
    assert "しもかわぶち" in text and "よみがな" not in text  # a real reading, not a placeholder


def test_the_guide_names_the_facilitator_button_and_presses_as_the_game_does(make_app):
    """The button's label, how long to hold it and where it is, as the meet home screen has them."""
    text = GUIDE.read_text(encoding="utf-8")
    home = make_app("--scene", "meet").app.scenes.top
    button = home.teacher
    assert f"**「{button.label}」**" in text
    assert f"**{button.hold:g}秒間おしつづけます**" in text
    w, h = home.app.size
    assert button.rect.right > w * 0.7 and button.rect.bottom > h * 0.85 and "**右下**" in text


@pytest.mark.parametrize("command", guide_commands())
def test_every_command_in_the_guide_parses(command, capsys):
    argv = shlex.split(command.replace("~", "/home/teacher"))
    parser, rest = parser_for(argv)
    try:
        parser.parse_args(rest)
    except SystemExit:
        pytest.fail(f"`karuta {command}` is refused: {capsys.readouterr().err.strip()}")
