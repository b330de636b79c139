"""The big-graph machinery, behind ``policy.BigGraphPolicy``: lazy texts
(``stale``), a frozen heap (``heap``)."""
