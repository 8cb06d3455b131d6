"""The app: one window, one async loop, one scene stack, and the services scenes share."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
import weakref
from typing import Callable

import pygame

from ..engine.deck import Deck, DeckEntry, discover_decks
from ..engine.shuffle import new_seed
from . import options as cli_options
from . import theme
from .audio import Audio
from .faces import Faces
from .input import InputMapper
from .platform import IS_WEB, Platform, current
from .scene import Scene, SceneStack
from .settings import Settings
from .storage import Store
from .text import Fonts
from .voice import Voice

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DECKS_DIR = os.path.join(PROJECT_ROOT, "decks")
HEADLESS_DT = 1 / 60


class App:
    def __init__(self, opts, platform: Platform | None = None):
        self.opts = opts
        self.started = time.perf_counter()
        self.headless = bool(opts.headless)
        if self.headless:
            os.environ["SDL_VIDEODRIVER"] = "dummy"
            os.environ["SDL_AUDIODRIVER"] = "dummy"
        pygame.display.init()
        pygame.font.init()
        flags = 0 if (IS_WEB or self.headless) else pygame.SCALED
        if getattr(opts, "fullscreen", False) and not IS_WEB and not self.headless:
            flags |= pygame.FULLSCREEN
        self.screen = pygame.display.set_mode(theme.SCREEN_SIZE, flags)
        pygame.display.set_caption("かるた")
        self.size = theme.SCREEN_SIZE
        self.fonts = Fonts()
        self.faces = Faces(self.fonts)
        self.platform = platform or current(data_dir=opts.data_dir)
        self.store = Store(self.platform)
        self.settings = Settings(self.store)
        self.audio = Audio(enabled=not self.headless)
        self.audio.volume = float(self.settings.get("volume"))
        self.voice = Voice(self.audio, self.platform, self.settings)
        self.seed = opts.seed if opts.seed is not None else new_seed()
        self.autoplay = bool(opts.autoplay)
        self.decks_dir = opts.decks_dir or DEFAULT_DECKS_DIR
        self.deck_entries: list[DeckEntry] = discover_decks(self.decks_dir)
        self.deck: Deck | None = None
        self.select_deck(opts.deck or self.platform.launch_params().get("deck") or self.settings.get("deck"))
        self.input = InputMapper(self.size)
        self.scenes = SceneStack()
        self.clock = pygame.time.Clock()
        self.time = 0.0
        self.frame = 0
        self.running = True
        self.exit_code = 0
        self._toasts: list[tuple[str, float]] = []
        self.first_frame_at: float | None = None
        self.frames_drawn = 0  # frames actually painted (a still screen is not repainted; see draw)
        self._shown: tuple | None = None
        self._painted_alone: tuple | None = None  # (weakref to the scene, screen size) that alone made the screen
        self._stack_shape: tuple | None = None
        # What start-up made (modules, fonts, decks) lives as long as the game: frozen, it is left
        # out of the collections run at scene changes (step), which then take well under 1 ms.
        # Unfreezing first lets an earlier App in the same process (tests) be collected.
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    # ------------------------------------------------------------------ decks

    @property
    def valid_decks(self) -> list[Deck]:
        return [e.deck for e in self.deck_entries if e.deck is not None]

    def select_deck(self, deck_id: str | None) -> bool:
        for deck in self.valid_decks:
            if deck.id == deck_id:
                self.deck = deck
                return True
        if self.deck is None and self.valid_decks:
            self.deck = self.valid_decks[0]
        return False

    def use_deck(self, deck: Deck) -> None:
        self.deck = deck
        self.settings.set("deck", deck.id)

    # ------------------------------------------------------------------ scenes

    def make_scene(self, name: str) -> Scene:
        from ..modes import registry

        factory: Callable[[App], Scene] | None = registry.scene_factory(name)
        if factory is None:
            raise KeyError(name)
        return factory(self)

    def go_title(self) -> None:
        self.voice.stop()
        self.scenes.reset(self.make_scene("title"))

    def toast(self, message: str, seconds: float = 4.0) -> None:
        self._toasts.append((message, self.time + seconds))

    def quit(self, code: int = 0) -> None:
        self.exit_code = code
        self.running = False

    # ------------------------------------------------------------------ loop

    def step(self, dt: float) -> None:
        """One frame: events, update, draw. Separate from run() so tests and the benchmark can drive it."""
        self.time += dt
        for raw in pygame.event.get():
            if raw.type == pygame.QUIT:
                self.running = False
                continue
            event = self.input.map(raw, self.time)
            top = self.scenes.top
            if event is not None and top is not None:
                top.handle(event)
        top = self.scenes.top
        if top is not None:
            top.update(dt)
            if self.autoplay and self.scenes.top is top:
                top.autoplay_step(dt)
        shape = (len(self.scenes), id(self.scenes.top))
        if shape != self._stack_shape:
            if self._stack_shape is not None:
                # A scene that was left is a reference cycle (its buttons call its methods) holding
                # its surfaces. Python's collector counts objects, not bytes: left alone, a long
                # session kept 100 MB of old scenes alive (see docs/performance.md).
                gc.collect()
            self._stack_shape = shape
        for message in self.store.take_notices():
            self.toast(message, 6.0)
        self.draw()
        self.frame += 1

    def draw(self) -> None:
        # A still screen is not painted again: an iPad spends its frame budget (and battery) only
        # when something changed. Scenes opt in with view_key(); by default they draw every frame.
        shown = self._view_key()
        if shown is None or shown != self._shown:
            if not self._repaint_in_place():
                self.screen.fill(theme.BG)
                self.scenes.draw(self.screen)
                self._draw_toasts()
                top = self.scenes.top
                alone = top is not None and not top.overlay and not self._toasts
                self._painted_alone = (weakref.ref(top), self.screen.get_size()) if alone else None
            self.frames_drawn += 1
            self._shown = shown
        pygame.display.flip()
        if self.first_frame_at is None:
            self.first_frame_at = time.perf_counter()

    def invalidate(self) -> None:
        """Paint the next frame in full, whatever the scenes' view keys say."""
        self._shown = None
        self._painted_alone = None

    def _repaint_in_place(self) -> bool:
        """Let a scene that animates all the time redraw only what moved (``Scene.repaint``).

        Allowed only when the screen holds exactly that scene's last frame: it alone was drawn
        (no dialog over it, no message), at this size. The scene answers False to be drawn in full.
        """
        top = self.scenes.top
        if top is None or self._painted_alone is None or self._toasts:
            return False
        ref, size = self._painted_alone
        if ref() is not top or size != self.screen.get_size():
            return False
        return bool(top.repaint(self.screen))

    def _view_key(self) -> tuple | None:
        """What the screen would show, when every visible scene can say it (``Scene.view_key()``); else None.

        A scene's view_key returns a hashable value that changes whenever its drawing would
        change (page, card, button looks, ...), or None to be drawn every frame.
        """
        stack = list(self.scenes)
        start = len(stack) - 1
        while start > 0 and stack[start].overlay:
            start -= 1
        keys = []
        for scene in stack[start:]:
            key = scene.view_key()
            if key is None:
                return None
            keys.append((type(scene), id(scene), key))  # no reference: a left scene must be collectable
        if not keys:
            return None
        toasts = tuple(m for m, until in self._toasts if until > self.time)[-3:]
        return tuple(keys), toasts, self.screen.get_size()

    def _draw_toasts(self) -> None:
        self._toasts = [(m, until) for m, until in self._toasts if until > self.time]
        y = self.size[1] - 20
        for message, _ in reversed(self._toasts[-3:]):
            text = self.fonts.render(message, 24, theme.WHITE, "bold")
            box = text.get_rect(midbottom=(self.size[0] // 2, y)).inflate(36, 20)
            pygame.draw.rect(self.screen, theme.BG_DARK, box, border_radius=14)
            self.screen.blit(text, text.get_rect(center=box.center))
            y = box.top - 8

    async def run(self) -> int:
        frames = self.opts.frames
        while self.running:
            if self.headless:
                dt = HEADLESS_DT
            else:
                dt = min(self.clock.tick(60) / 1000.0, 0.1)
            self.step(dt)
            if frames is not None and self.frame >= frames:
                break
            await asyncio.sleep(0)
        if self.opts.screenshot:
            try:
                pygame.image.save(self.screen, self.opts.screenshot)
            except (pygame.error, OSError) as exc:  # checked before the run; the disk may still fill up
                print(f"karuta: --screenshot {self.opts.screenshot}: cannot be written ({exc})", file=sys.stderr)
                return self.exit_code or 1
        return self.exit_code


def start_scene(app: App) -> Scene:
    """The first scene, from --scene (and, later, launch parameters such as a card link)."""
    from ..modes import registry

    return registry.first_scene(app)


async def main(argv: list[str] | None = None) -> int:
    opts = cli_options.parse(sys.argv[1:] if argv is None and not IS_WEB else (argv or []))
    from ..modes import registry

    if opts.scene not in registry.scene_names():
        print(f"karuta: unknown scene {opts.scene!r}; choose one of: {', '.join(registry.scene_names())}",
              file=sys.stderr)
        return 2
    problem = cli_options.screenshot_problem(opts.screenshot)
    if problem:
        print(f"karuta: --screenshot {opts.screenshot}: {problem}", file=sys.stderr)
        return 2
    app = App(opts)
    if opts.deck and (app.deck is None or app.deck.id != opts.deck):
        known = ", ".join(d.id for d in app.valid_decks) or "none"
        print(f"karuta: deck {opts.deck!r} is not a valid deck under {app.decks_dir} (valid: {known})",
              file=sys.stderr)
        for entry in app.deck_entries:
            if entry.id == opts.deck:
                for problem in entry.problems[:10]:
                    print(f"  {problem}", file=sys.stderr)
        return 2
    app.scenes.push(start_scene(app))
    code = await app.run()
    pygame.quit()
    return code
