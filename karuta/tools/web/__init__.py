"""Parts of ``karuta build-web``: fetching pinned files into a local cache, pygbag's runtime, the QR decoder."""
