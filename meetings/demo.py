"""The meetings part of the demo task force and of the statewide scale seed (receivers of
members.signals.demo_loaded and scale_seeded)."""
