"""One reader for the reading timeline (engine/reading.py): its cues become voice, the rest goes to the screen.

The game master and on-screen play both read cards through a Timeline. What the voice does with
a cue is the same for both (say, stop, decode the next card early); what a cue means for the
game (a card called, a card missed, the end) is each screen's own and stays there.
"""

from __future__ import annotations

from ...engine import reading as rd


def reading_rules(settings, *, read_twice: bool, auto_advance: float | None, **more) -> rd.Rules:
    """The reader's rhythm: the gaps come from the settings, the rest from the mode."""
    return rd.Rules(read_twice=read_twice, gap_between_readings=settings.get("gap_between_readings"),
                    gap_between_cards=settings.get("gap_between_cards"), auto_advance=auto_advance, **more)


class CueReader:
    """Voices a timeline's cues and hands every cue back to the screen.

    ``prepare_at``: when the next card's reading is decoded, so it starts on the beat: at the
    card's BEGIN, or at its first SAY (after the lead-in).
    """

    def __init__(self, app, deck, timeline: rd.Timeline, prepare_at: str = rd.BEGIN):
        self.app = app
        self.deck = deck
        self.timeline = timeline
        self.prepare_at = prepare_at
        self.voice_ok: bool | None = None  # whether the last reading could be voiced (None: none yet)

    def take(self) -> list[rd.Cue]:
        """The new cues, already voiced; the screen applies them to its game in this order."""
        cues = self.timeline.take_cues()
        voice = self.app.voice
        for cue in cues:
            if cue.kind == rd.SAY:
                self.voice_ok = voice.say(self.deck, cue.card)
            elif cue.kind in (rd.STOP, rd.END):
                voice.stop()
            if cue.kind == self.prepare_at and (cue.kind != rd.SAY or cue.pass_no == 1):
                following = self.timeline.index + 1
                if following < len(self.timeline.slots):
                    voice.prepare(self.deck, self.timeline.slots[following].card)
        return cues
