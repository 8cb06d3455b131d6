"""What ``karuta build-web`` prints when the site is ready: sizes by part, the first visit, what to do next."""

from __future__ import annotations

from ..i18n import _
from .layout import BUNDLE
from .sizes import DECK_MEDIA_PARTS, PROJECT_PARTS, mb, part_label


def print_report(report: dict, seconds: float) -> None:
    parts = report["parts"]
    out = report["out"]
    runtime = report["runtime"]
    print()
    print(_("web build {build} in {seconds} s -> {out}").format(build=report["build"], seconds=f"{seconds:.0f}",
                                                                 out=out))
    print("  " + _("decks: {decks}; font characters: {count}").format(decks=", ".join(report["decks"]),
                                                                     count=report["characters"]))
    labels = {name: part_label(name) for name in PROJECT_PARTS + DECK_MEDIA_PARTS}
    total = _("total")
    width = max(_width(label) for label in list(labels.values()) + [total])
    print("  " + _("the game's own files (judged by the budget):"))
    for name in PROJECT_PARTS:
        print(f"    {_pad(labels[name], width)}  {mb(parts[name]):>9}")
    print(f"    {_pad(total, width)}  {mb(report['project_bytes']):>9}  "
          + _("(budget {budget})").format(budget=mb(report["budget_bytes"])))
    print("  " + _("the decks' own media (not budgeted):"))
    for name in DECK_MEDIA_PARTS:
        print(f"    {_pad(labels[name], width)}  {mb(parts[name]):>9}")
    if runtime["self_hosted"]:
        print("  " + _("{bundle} (compressed) {size}; pygbag's runtime {runtime_size}, carried in the site (cdn/)")
              .format(bundle=BUNDLE, size=mb(report["bundle_bytes"]), runtime_size=mb(report["runtime_bytes"])))
    else:
        print("  " + _("{bundle} (compressed) {size}; pygbag's runtime {runtime_size}, loaded from {url} at run time")
              .format(bundle=BUNDLE, size=mb(report["bundle_bytes"]), runtime_size=mb(report["runtime_bytes"]),
                      url=runtime["served_from"]))
    print("  " + _("first visit downloads {size} (then the game opens offline)")
          .format(size=mb(report["first_visit_bytes"])))
    for note in report["notes"]:
        print("  " + _("note: {note}").format(note=note))
    print()
    print(_("Serve {out} from any static https server (see docs/web.md).").format(out=out))
    if report["base_url"]:
        print(_("Signpost QR codes: karuta qr --deck decks/<id> --base-url {url}").format(url=report["base_url"]))
    else:
        print(_("Give --base-url https://... to record the address signpost QR codes must use."))


def _width(text: str) -> int:
    """Columns a terminal gives the text: Japanese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
