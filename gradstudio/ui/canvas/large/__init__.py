"""The big-graph machinery, behind ``policy.BigGraphPolicy``: lazy texts
(``stale``), a frozen heap (``heap``), presentation tiles (``tiles``), the zoom
preview (``zoompreview``), PNGs made by two processes (``bands``)."""
