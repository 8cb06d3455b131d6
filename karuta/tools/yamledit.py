"""Changing card fields in an existing deck.yaml without rewriting what a person wrote.

Tools that add texts or furigana to a deck (``karuta deck texts --import``, ``karuta deck
furigana``) change a few values of some cards. Rewriting the whole file would drop the comments
a deck maker wrote and reflow their layout, so the values are replaced where they stand, in the
text: PyYAML's composer gives the exact span of every value. A key a card does not have yet is
added after the field that precedes it in the deck writer's order. The result is parsed again and
must equal the intended data; when it does not (an unusual hand-written layout), the deck is
written with the deck writer instead (``deckwrite.deck_yaml``), keeping the file's leading and
trailing comment blocks.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from .deckwrite import CARD_ORDER, deck_yaml, scalar
from .i18n import _
from .refuse import Refused

DELETE = object()  # a change value that removes the key from the card


def apply_changes(data: dict, changes: dict[int, dict[str, Any]]) -> dict:
    """The deck data with the changes applied (a copy): card number -> {field: value or DELETE}."""
    result = copy.deepcopy(data)
    for card in result.get("cards") or []:
        if not isinstance(card, dict) or card.get("number") not in changes:
            continue
        for key, value in changes[card["number"]].items():
            if value is DELETE:
                card.pop(key, None)
            else:
                card[key] = value
    return result


def edited_text(text: str, data: dict, changes: dict[int, dict[str, Any]]) -> str:
    """deck.yaml's new text: the changes made in place, or the whole deck rewritten (see above)."""
    import yaml

    wanted = apply_changes(data, changes)
    try:
        new = _edit_in_place(text, changes)
        if new is not None and yaml.safe_load(new) == wanted:
            return new
    except yaml.YAMLError:
        pass
    lines = text.splitlines()
    header = [line[2:] if line.startswith("# ") else line[1:] for line in _comments(lines)]
    tail = _comments(lines[::-1])[::-1]
    return deck_yaml(wanted, header="\n".join(header), tail="\n".join(tail))


def write_changes(folder: str, changes: dict[int, dict[str, Any]]) -> str:
    """Apply the changes to <folder>/deck.yaml, replacing the file atomically. Returns its path."""
    from ..engine.deck import read_deck_data

    path = os.path.join(folder, "deck.yaml")
    data, problems, label = read_deck_data(folder)
    if problems or not isinstance(data, dict) or not os.path.isfile(path):
        raise Refused(_("{file}: cannot be changed: {problems}").format(
            file=label, problems="; ".join(str(p) for p in problems) or _("not a deck.yaml")))
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    new = edited_text(text, data, changes)
    tmp = path + ".karuta-tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(new)
        os.replace(tmp, path)
    except OSError as exc:
        raise Refused(_("{file}: cannot be written ({reason}); it was left as it was").format(
            file=path, reason=exc.strerror or exc)) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _comments(lines: list[str]) -> list[str]:
    """The comment lines that open the given lines (blank lines before them skipped)."""
    block: list[str] = []
    for line in lines:
        if line.startswith("#"):
            block.append(line)
        elif line.strip() or block:
            break
    return block


def _edit_in_place(text: str, changes: dict[int, dict[str, Any]]) -> str | None:
    """Replace, add or remove the changed values in the text; None when the layout is not one we edit."""
    import yaml

    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return None
    cards = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "cards"), None)
    if not isinstance(cards, yaml.SequenceNode):
        return None
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    for item in cards.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        keys = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        number_node = keys.get("number", (None, None))[1]
        try:
            number = int(number_node.value) if isinstance(number_node, yaml.ScalarNode) else None
        except ValueError:
            number = None
        if number not in changes:
            continue
        for key, value in changes[number].items():
            edit = _edit_one(text, item, keys, key, value)
            if edit is None:
                return None
            if edit:
                edits.append(edit)
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _edit_one(text: str, item, keys: dict, key: str, value: Any):
    import yaml

    if key in keys:
        knode, vnode = keys[key]
        if value is DELETE:
            if item.flow_style or not (isinstance(vnode, yaml.ScalarNode) and vnode.style not in ("|", ">")
                                       or getattr(vnode, "flow_style", False)):
                return None  # only values that end on their own line are removed here
            start = text.rfind("\n", 0, knode.start_mark.index) + 1
            if text[start:knode.start_mark.index].strip(" -"):
                return None  # another key on the same line
            if text[start:knode.start_mark.index].strip() == "-":
                return None  # the first key of the card: removing it would remove the dash
            end = _line_end(text, vnode.end_mark.index)
            return (start, end, "")
        if not isinstance(vnode, yaml.ScalarNode) and not (isinstance(value, (dict, list)) and vnode.flow_style):
            return None
        new = scalar(value)
        start, end = vnode.start_mark.index, vnode.end_mark.index
        if isinstance(vnode, yaml.ScalarNode) and vnode.style in ("|", ">"):
            new += "\n"  # a block scalar's span ends at the start of the next line
        return (start, end, new)
    if value is DELETE:
        return ()
    # A new key: after the nearest key before it in the writer's order whose value is a scalar.
    order = list(CARD_ORDER)
    before = [k for k in order[: order.index(key)] if k in keys] if key in order else list(keys)
    if not before:
        return None
    knode, vnode = keys[before[-1]]
    if not isinstance(vnode, yaml.ScalarNode) or vnode.style in ("|", ">"):
        return None
    if item.flow_style:
        return (vnode.end_mark.index, vnode.end_mark.index, f", {key}: {scalar(value)}")
    if knode.start_mark.line != vnode.end_mark.line:
        return None
    first_key = item.value[0][0]
    indent = " " * first_key.start_mark.column
    at = _line_end(text, vnode.end_mark.index)
    line = f"{indent}{key}: {scalar(value)}\n"
    if at == len(text) and not text.endswith("\n"):
        line = "\n" + line.rstrip("\n")
    return (at, at, line)


def _line_end(text: str, index: int) -> int:
    """The index just after the newline that ends the line holding ``index`` (or the end of the text)."""
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1
