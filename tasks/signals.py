"""Signals other apps hook into, so that tasks never imports them (editions issues the seed's edition)."""

from django.dispatch import Signal

# Sent by ``load_seed`` after the fixture is loaded, inside its transaction.
seed_loaded = Signal()
# Sent by ``generate_roadmap`` after it has written the road map, inside its transaction, with ``meetings``.
roadmap_generated = Signal()
