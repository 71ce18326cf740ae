"""Files the app shows (icons); installed as therapy_desktop.resources."""
