"""Parts of ``karuta build-web``: staging, decks, fonts, the import check, sizes, pygbag, the page and site, the report; fetching pinned files into a local cache, pygbag's runtime, the QR decoder."""
