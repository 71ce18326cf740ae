"""Words of the safety screens: consent, the crisis panel, the safety plan (the clinical wording
itself lives in `therapy/`: consent text, panel texts, resources, the plan's steps)."""

CONSENT_WINDOW_TITLE = "Therapy Desktop — before we start"
CRISIS_PANEL_NAME = "Crisis support"
CRISIS_REGION_LABEL = "Country"
CRISIS_LINE = "{name}: {how}. {hours}."
CRISIS_MORE = "Somewhere else? {url} lists free helplines in every country."
SAFETY_PLAN_TITLE = "My safety plan"
SAFETY_PLAN_INTRO = (
    "Write what helps you, one thing per line. For people and professionals, write a name, then a "
    "comma and a phone number if you like. It stays on this computer."
)
SAFETY_PLAN_SAVE = "Save"
SAFETY_PLAN_EXPORT = "Export…"
SAFETY_PLAN_CLOSE = "Close"
SAFETY_PLAN_SAVED = "Saved."
SAFETY_PLAN_EXPORTED = "Exported to {path}."
SAFETY_PLAN_NOT_SAVED = "Your safety plan could not be saved: {reason}"
