"""``briefgen publish``: put the built site on static hosting, moving only what changed.

At the edge of the design, like ``preview``: it builds (through ``build``), reads the output
folder, and changes nothing but the target. Each target kind is a module; what to move is
decided by one pure function (``plan``) for all of them.
"""
