// Service worker of the karuta web build: after one visit the game opens with no network.
//
// One cache per build ("karuta-<build id>"). Installing a build fills its own cache
// completely (the page, the bundle, the page scripts, pygbag's runtime) before it
// may serve anything, and a worker only ever answers from its own cache, so a page
// never gets a mix of two builds. The page decides when to switch (karuta.js).
"use strict";

// `karuta build-web` replaces the next line with the build's settings.
const CONFIG = {"build": "dev", "app": [], "runtime": [], "prefixes": []};  // KARUTA-CONFIG

const CACHE = "karuta-" + CONFIG.build;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL("index.html", SCOPE).href;

function isApp(url) {
    return url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);
}

function isRuntime(url) {
    const href = url.href;
    return CONFIG.prefixes.some(p => href.startsWith(p));
}

// Cross-origin runtime files are stored as readable CORS responses where the CDN allows
// it (a module script needs one); otherwise as opaque responses, which only no-cors
// requests (plain <script>, fetch no-cors) can use.
async function fetchRuntime(url) {
    try {
        const r = await fetch(new Request(url, { mode: "cors", credentials: "omit" }));
        if (r.ok) return r;
    } catch (e) { /* no CORS headers, or offline */ }
    const r = await fetch(new Request(url, { mode: "no-cors", credentials: "omit" }));
    if (r.ok || r.type === "opaque") return r;
    throw new Error(url + ": HTTP " + r.status);
}

async function copyFromOlderBuilds(cache, url) {
    for (const name of await caches.keys()) {
        if (name === CACHE || !name.startsWith("karuta-")) continue;
        const old = await (await caches.open(name)).match(url);
        if (old) { await cache.put(url, old); return true; }
    }
    return false;
}

self.addEventListener("install", event => {
    event.waitUntil(install().catch(async error => {
        // A build that did not arrive whole leaves nothing behind; the previous one keeps serving.
        await caches.delete(CACHE);
        throw error;
    }));
});

async function install() {
    const cache = await caches.open(CACHE);
    // The app's own files must all arrive, fresh from the server, or this build is
    // not installed at all (the previous one keeps working).
    const appUrls = CONFIG.app.map(f => new URL(f, SCOPE).href);
    await Promise.all(appUrls.map(async url => {
        const r = await fetch(new Request(url, { cache: "reload", credentials: "same-origin" }));
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        await cache.put(url, r);
    }));
    // pygbag's runtime: the files it is known to load, then whatever an older build
    // had kept from the same runtime (the runtime's URL names its version).
    await Promise.all(CONFIG.runtime.map(async url => {
        try {
            await cache.put(url, await fetchRuntime(url));
        } catch (e) {
            await copyFromOlderBuilds(cache, url);
        }
    }));
    for (const name of await caches.keys()) {
        if (name === CACHE || !name.startsWith("karuta-")) continue;
        const old = await caches.open(name);
        for (const request of await old.keys()) {
            if (isRuntime(new URL(request.url)) && !(await cache.match(request))) {
                await cache.put(request, await old.match(request));
            }
        }
    }
    // The very first build takes over at once; later ones wait for the page.
    if (!self.registration.active) await self.skipWaiting();
}

self.addEventListener("activate", event => {
    event.waitUntil((async () => {
        for (const name of await caches.keys()) {
            if (name !== CACHE && name.startsWith("karuta-")) await caches.delete(name);
        }
        await self.clients.claim();
    })());
});

self.addEventListener("message", event => {
    const data = event.data || {};
    if (data.type === "activate") {
        self.skipWaiting();
    } else if (data.type === "keep" && Array.isArray(data.urls)) {
        // Files the page fetched before this worker controlled it (first visit).
        event.waitUntil(keep(data.urls.slice(0, 500)));
    }
});

async function keep(urls) {
    const cache = await caches.open(CACHE);
    for (const raw of urls) {
        let url;
        try { url = new URL(raw); } catch (e) { continue; }
        url.hash = "";
        if (isApp(url)) {
            // Only this build's own files: never store a page of another build under this one.
            continue;
        }
        if (!isRuntime(url) || await cache.match(url.href)) continue;
        try { await cache.put(url.href, await fetchRuntime(url.href)); } catch (e) { /* next visit tries again */ }
    }
}

async function fromCache(request, url) {
    const cache = await caches.open(CACHE);
    if (request.mode === "navigate" && isApp(url)) {
        // Any address of the game (?deck=..&card=.. from a signpost too) opens the cached page.
        const page = await cache.match(INDEX) || await cache.match(url.href, { ignoreSearch: true });
        if (page) return page;
    }
    let hit = await cache.match(request, { ignoreVary: true });
    if (!hit && isApp(url)) hit = await cache.match(url.href, { ignoreSearch: true });
    // An opaque answer may not be given to a CORS request (a module script): go to the network.
    if (hit && !(hit.type === "opaque" && request.mode === "cors")) return hit;

    try {
        const response = isRuntime(url) ? await fetchRuntime(url.href) : await fetch(request);
        if (isRuntime(url) && (response.ok || response.type === "opaque")) {
            await cache.put(url.href, response.clone());
        }
        return response;
    } catch (e) {
        if (request.mode === "navigate") {
            const page = await cache.match(INDEX);
            if (page) return page;
        }
        return new Response("offline: " + url.pathname, { status: 504, headers: { "Content-Type": "text/plain" } });
    }
}

self.addEventListener("fetch", event => {
    const request = event.request;
    if (request.method !== "GET") return;
    let url;
    try { url = new URL(request.url); } catch (e) { return; }
    if (url.pathname.endsWith("/sw.js")) return;  // the browser's update check must see the server
    if (!isApp(url) && !isRuntime(url)) return;
    event.respondWith(fromCache(request, url));
});
