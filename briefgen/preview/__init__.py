"""``briefgen serve``: a live-reload preview (at the edge: nothing in the core imports it)."""
