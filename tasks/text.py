"""How typed and imported text is stored: the rule is ``versioning.text.normalise_text``.

It lives in ``versioning`` because every versioned model (articles' too, and articles never
imports ``tasks``) applies it on save, and every versioned form when telling a change.
"""

from versioning.text import normalise_text

__all__ = ["normalise_text"]
