"""``briefgen check``: everything a build would complain about, and more, without building.

Beside ``build`` in the layers: it runs the same stages up to the site model (config, reading,
analysis, collection, pages) so that their own messages come out word for word, adds the checks
a build has no reason to make (misspelled fields, quotes not in the text, missing files named
with their line), and reads a site already built for links that lead nowhere. It writes
nothing: not the output, not the cache. Only the CLI imports it.
"""
