// Page side of the karuta web build: everything the Python game asks of the browser.
//
// karuta/app/platform.py (WebPlatform) reaches these through platform.window.eval():
//   window.karutaSpeech   = {available(), speak(text, rate, volume), stop(), speaking()}
//   window.karutaScan     = {available(), start(), cancel(), take()}
//   window.karutaPosition() -> [lat, lon, accuracy] or null
// The Python part of index.html reports progress through window.karutaLoading.
// Loaded before pygbag's loader (pythons.js), so that its handlers come first: no alert()
// and no English error ever reaches a child; a failed start shows a Japanese message.
// Plain ES2017 with no build step: iPadOS Safari runs it as written.
"use strict";

(function () {
    // ------------------------------------------------------------------ errors
    // The loader answers any uncaught error or promise rejection with alert("...occurred: ...")
    // in English. These listeners run first (capture, registered before the loader's) and stop
    // the event there; before the game is up a failure means it will not start, so the page
    // says so in Japanese with what to do. alert/confirm are neutralised for anything else.
    function failed(what, detail) {
        console.error("karuta:", what, detail);
        if (window.karutaLoading && !window.karutaLoading.finished) window.karutaLoading.fail(String(detail));
    }
    window.addEventListener("error", e => {
        if (!(e instanceof ErrorEvent)) {
            // A resource that did not load; a script (the loader, the interpreter) means no start.
            const t = e.target;
            if (t && t.tagName === "SCRIPT") failed("script did not load", t.src);
            return;
        }
        e.preventDefault();
        e.stopImmediatePropagation();
        failed("error", e.error || e.message);
    }, true);
    window.addEventListener("unhandledrejection", e => {
        e.preventDefault();
        e.stopImmediatePropagation();
        failed("unhandled rejection", e.reason);
    }, true);
    window.alert = message => console.warn("karuta: alert() suppressed:", message);
    window.confirm = message => { console.warn("karuta: confirm() suppressed:", message); return true; };

    const BUILD = (document.querySelector('meta[name="karuta-build"]') || {}).content || "dev";

    // ------------------------------------------------------------------ first touch
    // iPadOS starts audio and speech only inside a user gesture, and pygbag's own
    // "click to start" never sees iPad taps (pygbag issue 138). So every gesture
    // resumes the SDL audio context (it may be created after the first tap) and the
    // first one speaks an empty utterance, which unlocks speechSynthesis for later.
    let touched = false;
    let speechUnlocked = false;

    function unlock() {
        touched = true;
        try {
            const sdl = window.Module && window.Module.SDL2;
            const ctx = sdl && sdl.audioContext;
            if (ctx && ctx.state !== "running" && ctx.resume) {
                ctx.resume().catch(() => { /* not allowed yet: the next gesture tries again */ });
            }
        } catch (e) { /* no audio yet: the next gesture tries again */ }
        if (!speechUnlocked && "speechSynthesis" in window && typeof SpeechSynthesisUtterance !== "undefined") {
            speechUnlocked = true;
            try {
                const u = new SpeechSynthesisUtterance("");
                u.volume = 0;
                window.speechSynthesis.speak(u);
            } catch (e) { /* speech stays unavailable */ }
        }
    }
    for (const type of ["touchend", "pointerup", "mouseup", "keydown"]) {
        window.addEventListener(type, unlock, { capture: true, passive: true });
    }

    // ------------------------------------------------------------------ speech
    function japaneseVoice() {
        let voices = [];
        try { voices = window.speechSynthesis.getVoices() || []; } catch (e) { return null; }
        return voices.find(v => v.lang === "ja-JP") ||
               voices.find(v => (v.lang || "").toLowerCase().replace("_", "-").startsWith("ja")) || null;
    }

    function clamp(value, low, high, fallback) {
        const n = Number(value);
        if (!isFinite(n)) return fallback;
        return Math.min(high, Math.max(low, n));
    }

    window.karutaSpeech = {
        available() {
            if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return false;
            let voices = [];
            try { voices = window.speechSynthesis.getVoices() || []; } catch (e) { return false; }
            // An empty list means "not loaded yet" (Safari fills it late): try anyway.
            return voices.length === 0 || japaneseVoice() !== null;
        },
        speak(text, rate, volume) {
            if (!this.available()) return 0;
            const synth = window.speechSynthesis;
            // A new card stops the previous reading.
            synth.cancel();
            const u = new SpeechSynthesisUtterance(String(text || ""));
            u.lang = "ja-JP";
            const voice = japaneseVoice();
            if (voice) { try { u.voice = voice; } catch (e) { /* lang alone picks a Japanese voice */ } }
            u.rate = clamp(rate, 0.5, 2.0, 1.0);
            u.volume = clamp(volume, 0.0, 1.0, 1.0);
            try { synth.speak(u); } catch (e) { return 0; }
            return 1;
        },
        stop() {
            try { window.speechSynthesis.cancel(); } catch (e) { /* nothing to stop */ }
        },
        speaking() {
            try { return !!(window.speechSynthesis.speaking || window.speechSynthesis.pending); } catch (e) { return false; }
        },
    };

    // ------------------------------------------------------------------ QR scan
    // The camera view covers the canvas; jsQR (npm, shipped as jsqr.js) decodes frames.
    // The text waits here until Python takes it, so a slow game frame loses nothing.
    const scan = {
        state: "idle",      // idle | starting | scanning | nocamera | denied | error
        refused: false,     // the camera was refused or is missing: stop offering it
        result: null,
        stream: null,
        overlay: null,
        timer: 0,
        canvas: null,
        session: 0,         // each start() is a new session; a cancelled one must not open the camera later
    };

    function loadDecoder() {
        if (window.jsQR) return Promise.resolve(window.jsQR);
        return new Promise((resolve, reject) => {
            const s = document.createElement("script");
            s.src = "jsqr.js";
            s.onload = () => (window.jsQR ? resolve(window.jsQR) : reject(new Error("jsqr.js has no jsQR")));
            s.onerror = () => reject(new Error("jsqr.js could not be loaded"));
            document.head.appendChild(s);
        });
    }

    function buildOverlay() {
        if (scan.overlay) return scan.overlay;
        const o = document.createElement("div");
        o.id = "karuta-scan";
        o.setAttribute("role", "dialog");
        o.setAttribute("aria-label", "QRコードを よむ");
        o.innerHTML =
            '<video id="karuta-scan-video" playsinline muted autoplay></video>' +
            '<div id="karuta-scan-frame"></div>' +
            '<p id="karuta-scan-hint">QRコードを わくの なかに うつしてね</p>' +
            '<button id="karuta-scan-cancel" type="button">やめる</button>';
        // Keep taps on the overlay away from the game canvas underneath.
        for (const type of ["pointerdown", "pointerup", "mousedown", "mouseup", "touchstart", "touchend", "click"]) {
            o.addEventListener(type, e => e.stopPropagation());
        }
        o.querySelector("#karuta-scan-cancel").addEventListener("click", () => window.karutaScan.cancel());
        document.body.appendChild(o);
        scan.overlay = o;
        return o;
    }

    function showMessage(text, buttonLabel) {
        const o = buildOverlay();
        o.classList.add("karuta-scan-problem");
        o.querySelector("#karuta-scan-hint").textContent = text;
        o.querySelector("#karuta-scan-cancel").textContent = buttonLabel;
    }

    function stopCamera() {
        if (scan.timer) { clearTimeout(scan.timer); scan.timer = 0; }
        if (scan.stream) {
            for (const track of scan.stream.getTracks()) track.stop();
            scan.stream = null;
        }
        if (scan.overlay) {
            const v = scan.overlay.querySelector("video");
            if (v) v.srcObject = null;
        }
    }

    function closeOverlay() {
        stopCamera();
        if (scan.overlay) {
            scan.overlay.remove();
            scan.overlay = null;
        }
        if (scan.state === "starting" || scan.state === "scanning") scan.state = "idle";
    }

    function decodeLoop(video, decoder, session) {
        // About 8 decodes a second: enough for a QR code held still, and it leaves
        // the iPad's CPU to the game running underneath.
        if (scan.state !== "scanning" || session !== scan.session) return;
        try {
            if (video.readyState >= 2 && video.videoWidth > 0) {
                const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
                const w = Math.max(1, Math.round(video.videoWidth * scale));
                const h = Math.max(1, Math.round(video.videoHeight * scale));
                const c = scan.canvas || (scan.canvas = document.createElement("canvas"));
                if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
                const g = c.getContext("2d", { willReadFrequently: true });
                g.drawImage(video, 0, 0, w, h);
                const img = g.getImageData(0, 0, w, h);
                const code = decoder(img.data, w, h, { inversionAttempts: "attemptBoth" });
                if (code && typeof code.data === "string" && code.data.length > 0) {
                    scan.result = code.data;
                    if (navigator.vibrate) { try { navigator.vibrate(80); } catch (e) { /* optional */ } }
                    closeOverlay();
                    scan.state = "idle";
                    return;
                }
            }
        } catch (e) {
            console.warn("karutaScan: frame skipped", e);
        }
        scan.timer = setTimeout(() => decodeLoop(video, decoder, session), 120);
    }

    async function openCamera(session) {
        // Each await may outlive the session (cancel, or a new start): check before acting.
        const current = () => scan.session === session && (scan.state === "starting" || scan.state === "scanning");
        buildOverlay().classList.remove("karuta-scan-problem");
        let decoder;
        try {
            decoder = await loadDecoder();
        } catch (e) {
            if (!current()) return;
            scan.state = "error";
            showMessage("QRコードを よむ じゅんびが できませんでした", "もどる");
            return;
        }
        if (!current()) return;
        let stream;
        try {
            stream = await navigator.mediaDevices.getUserMedia({
                audio: false,
                video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
            });
        } catch (e) {
            const name = (e && e.name) || "";
            // Refused or missing for good: available() turns false so the game offers its code keypad.
            if (name === "NotAllowedError" || name === "SecurityError" || name === "NotFoundError" ||
                name === "OverconstrainedError") {
                scan.refused = true;
            }
            if (!current()) return;
            if (name === "NotAllowedError" || name === "SecurityError") {
                scan.state = "denied";
                showMessage("カメラを つかえません（きょかが ありません）", "もどる");
            } else if (name === "NotFoundError" || name === "OverconstrainedError") {
                scan.state = "nocamera";
                showMessage("カメラが みつかりません", "もどる");
            } else {
                scan.state = "error";  // e.g. another app holds the camera: worth trying again later
                showMessage("カメラを ひらけませんでした", "もどる");
            }
            return;
        }
        if (!current()) {
            for (const track of stream.getTracks()) track.stop();
            return;
        }
        scan.stream = stream;
        const video = buildOverlay().querySelector("video");
        video.srcObject = stream;
        try { await video.play(); } catch (e) { /* muted + playsinline may autoplay; frames still arrive */ }
        if (!current()) return;
        scan.state = "scanning";
        decodeLoop(video, decoder, session);
    }

    window.karutaScan = {
        available() {
            return !!(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) && !scan.refused;
        },
        start() {
            if (!this.available()) return 0;
            if (scan.state === "starting" || scan.state === "scanning") return 1;
            scan.result = null;
            scan.state = "starting";
            scan.session += 1;
            openCamera(scan.session).catch(e => {
                console.warn("karuta: camera", e);
                closeOverlay();
                scan.state = "idle";
            });
            return 1;
        },
        cancel() {
            scan.session += 1;
            closeOverlay();
            if (scan.state !== "denied" && scan.state !== "nocamera") scan.state = "idle";
        },
        take() {
            const text = scan.result;
            scan.result = null;
            return text;
        },
        // Not used by Python: for the page's own checks and for debugging on a device.
        state() { return scan.state; },
    };

    // A hidden tab must not keep the camera on.
    document.addEventListener("visibilitychange", () => {
        if (document.hidden && (scan.state === "starting" || scan.state === "scanning")) window.karutaScan.cancel();
    });

    // ------------------------------------------------------------------ position
    // Only a hint (Wi-Fi iPads have no GPS). The watch starts the first time the game
    // asks and stops when it has not asked for a minute, to spare the battery.
    const pos = { watch: null, last: null, asked: 0, refused: false, idle: 0 };

    function stopWatching() {
        if (pos.watch !== null) {
            try { navigator.geolocation.clearWatch(pos.watch); } catch (e) { /* already gone */ }
            pos.watch = null;
        }
        if (pos.idle) { clearInterval(pos.idle); pos.idle = 0; }
    }

    window.karutaPosition = function () {
        if (pos.refused || !("geolocation" in navigator)) return null;
        pos.asked = Date.now();
        if (pos.watch === null) {
            try {
                pos.watch = navigator.geolocation.watchPosition(
                    p => { pos.last = { lat: p.coords.latitude, lon: p.coords.longitude, acc: p.coords.accuracy, at: Date.now() }; },
                    e => { if (e && e.code === 1) { pos.refused = true; stopWatching(); } },
                    { enableHighAccuracy: true, maximumAge: 15000, timeout: 60000 });
            } catch (e) {
                pos.refused = true;
                return null;
            }
            pos.idle = setInterval(() => { if (Date.now() - pos.asked > 60000) stopWatching(); }, 15000);
        }
        if (!pos.last || Date.now() - pos.last.at > 120000) return null;
        return [pos.last.lat, pos.last.lon, pos.last.acc];
    };

    // ------------------------------------------------------------------ loading screen
    const loading = {
        started: Date.now(),
        finished: false,
        progress(done, total) {
            const bar = document.getElementById("karuta-progress");
            const d = Number(done), t = Number(total);
            if (bar && t > 0 && isFinite(d)) { bar.max = t; bar.value = Math.min(d, t); }
        },
        done() {
            loading.finished = true;
            const box = document.getElementById("karuta-loading");
            if (box) box.hidden = true;
        },
        // The start failed: a Japanese message and a way to try again (the detail goes to the console).
        fail(detail) {
            loading.failure = String(detail || "");
            console.error("karuta: the game did not start:", loading.failure);
            const box = document.getElementById("karuta-loading");
            if (box) box.hidden = false;
            const starting = document.getElementById("karuta-starting");
            const failedBox = document.getElementById("karuta-failed");
            if (starting) starting.hidden = true;
            if (failedBox) failedBox.hidden = false;
        },
        failure: "",
    };
    document.addEventListener("DOMContentLoaded", () => {
        const retry = document.getElementById("karuta-retry");
        if (retry) retry.addEventListener("click", () => location.reload());
    });
    window.karutaLoading = loading;
    // A start that takes very long usually means the first visit had no network.
    setTimeout(() => {
        if (!loading.finished) {
            const slow = document.getElementById("karuta-slow");
            if (slow) slow.hidden = false;
        }
    }, 45000);

    // ------------------------------------------------------------------ offline (service worker)
    // sw.js keeps one complete copy of each build. A new build is installed next to the
    // old one; the page switches only when it is complete: at once if nobody has
    // touched the game yet, otherwise when the player chooses to (a reload restarts
    // the game, so it never happens in the middle of a walk).
    const app = {
        build: BUILD,
        updateReady: false,
        swError: "",
        applyUpdate() {
            const reg = app.registration;
            if (reg && reg.waiting) reg.waiting.postMessage({ type: "activate" });
        },
        registration: null,
    };
    window.karutaApp = app;

    function offerUpdate(reg) {
        app.updateReady = true;
        if (!touched) {
            app.applyUpdate();
            return;
        }
        const bar = document.getElementById("karuta-update");
        if (bar) bar.hidden = false;
    }

    function watchInstalling(reg, worker) {
        worker.addEventListener("statechange", () => {
            if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(reg);
        });
    }

    if ("serviceWorker" in navigator && window.isSecureContext) {
        const hadController = !!navigator.serviceWorker.controller;
        let reloading = false;
        navigator.serviceWorker.addEventListener("controllerchange", () => {
            // The first build takes over quietly (it precached everything itself); a later one reloads.
            if (hadController && !reloading) { reloading = true; location.reload(); }
        });
        window.addEventListener("load", () => {
            navigator.serviceWorker.register("sw.js", { updateViaCache: "none" }).then(reg => {
                app.registration = reg;
                if (reg.waiting && navigator.serviceWorker.controller) offerUpdate(reg);
                if (reg.installing) watchInstalling(reg, reg.installing);
                reg.addEventListener("updatefound", () => { if (reg.installing) watchInstalling(reg, reg.installing); });
                // A tablet left open for days still learns about new builds.
                document.addEventListener("visibilitychange", () => {
                    if (!document.hidden) reg.update().catch(() => { /* offline: keep the cached build */ });
                });
            }).catch(e => { app.swError = String(e); console.warn("karuta: no offline copy", e); });
        });
        document.addEventListener("DOMContentLoaded", () => {
            const now = document.getElementById("karuta-update-now");
            const later = document.getElementById("karuta-update-later");
            if (now) now.addEventListener("click", () => app.applyUpdate());
            if (later) later.addEventListener("click", () => { document.getElementById("karuta-update").hidden = true; });
        });
    }
})();
