"""Getting a briefing started and articles in: ``briefgen init`` and ``briefgen new``.

At the edge, like ``preview`` and ``publish``: these write the site's own source files (never
the output), and nothing in the core imports them.
"""
