// Service worker of the karuta web build: after one visit the game opens with no network.
//
// `karuta build-web` writes the one list of files this build needs (the page, the bundle,
// the page scripts and pygbag's runtime, each with its sha256) into CONFIG below. Installing
// a build fills its own cache ("karuta-<build id>") with exactly those files, each checked
// against its hash, or installs nothing (the previous build keeps serving). A file an older
// build already holds with the same hash is copied from there instead of downloaded again.
// Only whole, successful answers are ever stored; the page decides when to switch (karuta.js).
"use strict";

// `karuta build-web` replaces the next line with the build's settings.
const CONFIG = {"build": "dev", "files": []};  // KARUTA-CONFIG

const CACHE = "karuta-" + CONFIG.build;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL("index.html", SCOPE).href;
const FILES = new Map(CONFIG.files.map(f => [new URL(f.path, SCOPE).href, f.sha256]));

function isApp(url) {
    return url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);
}

async function sha256(response) {
    const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
    return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, "0")).join("");
}

// A response worth keeping: complete, readable and successful (never an error page or an opaque answer).
function storable(response) {
    return response && response.ok && response.status === 200 && (response.type === "basic" || response.type === "cors");
}

async function fromOlderBuild(url, hash) {
    for (const name of await caches.keys()) {
        if (name === CACHE || !name.startsWith("karuta-")) continue;
        const old = await (await caches.open(name)).match(url);
        if (old && await sha256(old) === hash) return old;
    }
    return null;
}

async function install() {
    const cache = await caches.open(CACHE);
    await Promise.all(Array.from(FILES, async ([url, hash]) => {
        let response = await fromOlderBuild(url, hash);
        if (!response) {
            response = await fetch(new Request(url, { cache: "reload", credentials: "same-origin" }));
            if (!storable(response)) throw new Error(url + ": HTTP " + response.status + " " + response.type);
            if (await sha256(response) !== hash) throw new Error(url + ": not the file this build was made with");
        }
        await cache.put(url, response);
    }));
    // The very first build takes over at once; later ones wait for the page.
    if (!self.registration.active) await self.skipWaiting();
}

self.addEventListener("install", event => {
    event.waitUntil(install().catch(async error => {
        // A build that did not arrive whole leaves nothing behind; the previous one keeps serving.
        await caches.delete(CACHE);
        throw error;
    }));
});

self.addEventListener("activate", event => {
    event.waitUntil((async () => {
        for (const name of await caches.keys()) {
            if (name !== CACHE && name.startsWith("karuta-")) await caches.delete(name);
        }
        await self.clients.claim();
    })());
});

self.addEventListener("message", event => {
    if ((event.data || {}).type === "activate") self.skipWaiting();
});

async function answer(event, request, url) {
    const cache = await caches.open(CACHE);
    // Any address of the game's page (a signpost link's ?c=... too) opens this build's page.
    const page = request.mode === "navigate" && isApp(url) && /(\/|\/index\.html)$/.test(url.pathname);
    const key = page ? INDEX : url.href;
    const hit = await cache.match(key, { ignoreVary: true });
    if (hit) return hit;
    try {
        const response = await fetch(request);
        // Answer at once; a file of this build that was somehow missing is stored behind the answer.
        if (FILES.has(key) && storable(response)) {
            event.waitUntil(cache.put(key, response.clone()).catch(() => { /* kept next time */ }));
        }
        return response;
    } catch (e) {
        return new Response("offline: " + url.pathname, { status: 504, headers: { "Content-Type": "text/plain" } });
    }
}

self.addEventListener("fetch", event => {
    const request = event.request;
    if (request.method !== "GET") return;
    let url;
    try { url = new URL(request.url); } catch (e) { return; }
    url.hash = "";
    if (url.pathname.endsWith("/sw.js")) return;  // the browser's update check must see the server
    if (!isApp(url) && !FILES.has(url.href)) return;
    if (request.mode !== "navigate") url.search = "";  // files are stored without a query
    event.respondWith(answer(event, request, url));
});
