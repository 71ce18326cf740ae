"""The Qt face of the app: thin widgets over the session's hooks."""
