"""What meetings does when members announces a change (receivers of members.signals)."""
