"""How typed and imported text is stored: the one rule, ``inputs.normalise_text``, named for the tasks app.

It lives in ``inputs`` (what comes in from outside, read by one rule each) because every versioned
model, articles' too, applies it on save, and ``articles`` and ``versioning`` never import ``tasks``.
"""

from inputs import normalise_text

__all__ = ["normalise_text"]
