"""One therapy session: its state machine, transcript and tool dispatch. No Qt."""
