"""Words the window shows, in one place (ready for translation). The AI is always the
"AI companion": never a therapist, never a person."""

from __future__ import annotations

from therapy_desktop.realtime.connect_mode import ConnectMode

MODE_TITLES = {ConnectMode.DEMO: "Demo (offline)", ConnectMode.OPENAI: "OpenAI", ConnectMode.BACKEND: "Clinic backend"}

AI_NAME = "AI companion"
WINDOW_TITLE = "Therapy Desktop — AI voice companion"

# A quiet line in the transcript where a new call took over the conversation.
CONNECTION_RENEWED = "Connection renewed at {time:%H:%M} — the conversation carries on."

# -- the main window ------------------------------------------------------------------------------
SESSION_LABEL = "&Session"
CONNECTION_LABEL = "Co&nnection"
START = "Start session"
END = "End session"
START_TIP = "Start a session (Enter or Ctrl+Return)"
END_TIP = "End the session (Ctrl+Return)"
RETRY = "Try again"
RETRY_NAME = "Try to reconnect"
DISMISS = "Dismiss"
NOTICE_TITLE = "Notice"  # above a notice in the top banner (an error has none)
NOTICE_SPOKEN = "Notice: {sentence}"  # its accessible name and announcement
DISMISS_NAME = "Dismiss the message"
MIC = "Mic"
MIC_PAUSED = "Mic paused while the AI companion speaks"
HINT = "Choose a session type, press Start session (or Enter), then speak when the status shows Listening."
MENU_SESSION = "&Session"
MENU_HISTORY = "&History…"
MENU_QUIT = "&Quit"
COPY_TRANSCRIPT = "Copy transcript"
COPY_TRANSCRIPT_NAME = "Copy the whole transcript as text"
TRANSCRIPT_NAME = "Conversation transcript"
TRANSCRIPT_DESCRIPTION = "The conversation so far. Ctrl+A then Ctrl+C copies all of it."
TRANSCRIPT_COPIED = "Transcript copied."
TRANSCRIPT_ALL_SELECTED = "The whole conversation is selected. Ctrl+C copies it, with who said what."
TRANSCRIPT_SELECTION_COPIED = "Selection copied."
TRANSCRIPT_MENU_NAME = "Transcript actions"
TRANSCRIPT_MENU_COPY = "&Copy"
TRANSCRIPT_MENU_COPY_NAME = "Copy the selected text (the whole conversation when nothing is selected)"
TRANSCRIPT_MENU_SELECT_ALL = "Select &all"
TRANSCRIPT_MENU_SELECT_ALL_NAME = "Select the whole conversation"
TRANSCRIPT_MENU_COPY_ALL = "Copy the &whole conversation"
YOU = "You"
YOU_SAID = "You said: {text}"
AI_SAID = "AI companion said: {text}"
NOT_TRANSCRIBED = "(your words could not be transcribed)"
INTERRUPTED = "  — interrupted"
SESSION_STOPPED = "The session stopped. Your conversation so far is kept above."
WRAPPING_UP = "The AI companion is wrapping up the session."
TOOL_FAILED = "An exercise could not start on screen. The conversation goes on as usual."
CLOSE_TITLE = "End the session?"
CLOSE_QUESTION = "End the session and close?"
CLOSE_DETAIL = "What was said so far is already saved in your history."

# -- before Start: mood ---------------------------------------------------------------------------
MOOD_NOW = "How do you feel right now?"
MOOD_AFTER = "How do you feel now, after the session?"
MOOD_LOW = "very low"
MOOD_HIGH = "very good"
MOOD_SKIP = "Skip"
MOOD_SKIP_NAME = "Skip rating my mood"
MOOD_SLIDER_NAME = "Mood from 1, very low, to 10, very good"
MOOD_VALUE = "{value} of 10"
MOOD_NONE = "not rated"

# -- breathing pacer ------------------------------------------------------------------------------
PACER_TITLE = "Guided breathing · {pattern} · {cycles} cycles"
PACER_WAITING = "Get comfortable — the AI companion will start the breathing with you."
PHASE_NAMES = {"inhale": "Breathe in", "hold": "Hold", "exhale": "Breathe out", "rest": "Rest"}
PACER_PHASE = "{phase} · {second} of {seconds} s"
PACER_CYCLE = "Cycle {cycle} of {cycles}"
PACER_DONE = "Well done — the breathing exercise is finished."
PACER_STOPPED = "Breathing exercise stopped."
PACER_STOP = "Stop breathing"
PACER_STOP_NAME = "Stop the breathing exercise"
PACER_CIRCLE_NAME = "Breathing pacer"
PACER_NAME = "Guided breathing"
NOTICE_BREATHING = "Guided breathing · {pattern} ({inhale}-{hold}-{exhale}-{rest} s) · {cycles} cycles — follow the circle."
NOTICE_BREATHING_DONE = "Breathing exercise finished ({done} of {cycles} cycles)."
NOTICE_BREATHING_STOPPED = "Breathing exercise stopped after {done} of {cycles} cycles."

# -- grounding ------------------------------------------------------------------------------------
GROUNDING_TITLE = "Grounding · 5-4-3-2-1"
GROUNDING_NAME = "Grounding exercise"
GROUNDING_INTRO = "Notice, one sense at a time. Take your time with each step."
GROUNDING_CURRENT = "Now: {prompt}"
GROUNDING_STEP_NAME = "Step {number} of {total}: {prompt}{state}"
GROUNDING_STATE_DONE = ", done"
GROUNDING_STATE_CURRENT = ", current"
GROUNDING_NEXT = "Next step"
GROUNDING_NEXT_NAME = "Go to the next grounding step"
GROUNDING_FINISH = "Finish"
GROUNDING_FINISH_NAME = "Finish the grounding exercise"
GROUNDING_CLOSE = "Stop grounding"
GROUNDING_CLOSE_NAME = "Stop the grounding exercise"
GROUNDING_DONE = "Grounding finished — all five steps."
GROUNDING_STOPPED = "Grounding stopped after {done} of {total} steps."
NOTICE_GROUNDING = "Grounding · 5-4-3-2-1 — the steps are shown below the conversation."
EXERCISE_BREATHING = "breathing exercise"
EXERCISE_GROUNDING = "5-4-3-2-1 grounding exercise (steps)"

# -- timer ----------------------------------------------------------------------------------------
TIMER = "{elapsed} / {limit}"
TIMER_NAME = "Session time {elapsed} of {limit}"
TIME_NEARLY_UP = "About {minutes} minutes left in this session."

# -- summary --------------------------------------------------------------------------------------
SUMMARY_TITLE = "Session summary"
SUMMARY_NO_SUMMARY = "Session ended"
SUMMARY_TOPICS = "Topics"
SUMMARY_HELPED = "What helped"
SUMMARY_STEPS = "Suggested next steps (edit freely, one per line)"
SUMMARY_STEPS_NAME = "Suggested next steps, one per line, editable"
SUMMARY_MOOD_OBSERVATION = "How you seemed"
SUMMARY_NONE = "—"
SUMMARY_SAVE = "Save"
SUMMARY_SAVE_NAME = "Save the summary and mood"
SUMMARY_SKIP = "Close without saving"
SUMMARY_SKIP_NAME = "Close the summary without saving a mood"
SUMMARY_SAVED = "Saved to your history."
SUMMARY_NOT_RECORDED = "Saved for this run only: the history could not be opened."

# -- type instead of speak ------------------------------------------------------------------------
TYPE_PLACEHOLDER = "Type instead of speaking, then press Enter"
TYPE_NAME = "Type a message to the AI companion"
SEND = "Send"
SEND_NAME = "Send the typed message"

# -- history --------------------------------------------------------------------------------------
HISTORY_TITLE = "Session history"
HISTORY_LIST_NAME = "Past sessions"
HISTORY_COLUMNS = ("Date", "Type", "Duration", "Mood before → after", "Status", "Flags")
HISTORY_EMPTY = "No sessions yet."
HISTORY_NOT_OPEN = "The history could not be opened this time, so there is nothing to show. Restart the app to try again."
HISTORY_UNAVAILABLE = "The history could not be opened: {reason}"
HISTORY_DETAIL_NAME = "The chosen session's summary and transcript"
HISTORY_CHOOSE = "Choose a session to read its summary and transcript."
HISTORY_DELETE = "&Delete…"
HISTORY_DELETE_NAME = "Delete the chosen session"
HISTORY_DELETE_TITLE = "Delete this session?"
HISTORY_DELETE_QUESTION = "Delete the session of {date}? Its transcript and summary are removed for good."
HISTORY_DELETED = "The session was deleted."
HISTORY_EXPORT_MD = "Export &Markdown…"
HISTORY_EXPORT_MD_NAME = "Export the chosen session as Markdown"
HISTORY_EXPORT_PDF = "Export &PDF…"
HISTORY_EXPORT_PDF_NAME = "Export the chosen session as PDF"
HISTORY_EXPORTED = "Saved to {path}."
HISTORY_EXPORT_FAILED = "Could not save the file: {reason}. Choose another folder and try again."
HISTORY_CLOSE = "Close"
HISTORY_CLOSE_NAME = "Close the history"
HISTORY_MD_FILTER = "Markdown (*.md)"
HISTORY_PDF_FILTER = "PDF (*.pdf)"
HISTORY_STATUS = {"created": "Not started", "active": "In progress", "ended": "Ended", "error": "Could not start",
                  "interrupted": "Interrupted"}
HISTORY_FLAGS = {"crisis": "Safety concern"}
HISTORY_MOOD = "{before} → {after}"
CHART_NAME = "Mood over time"
CHART_DESCRIPTION = "Mood before (hollow) and after (filled) each session, 1 to 10, oldest on the left. {points}"
CHART_EMPTY = "Mood ratings appear here after your first rated session."
CHART_POINT = "{date}: {before} → {after}"
CHART_BEFORE = "before"
CHART_AFTER = "after"

# -- errors a person can act on --------------------------------------------------------------------
ERROR_DETAIL = "Details: {detail}"
ERROR_GENERIC = "Something went wrong. Try again; if it keeps happening, restart the app."
ERROR_NO_MIC = "No microphone was found. Plug one in or choose one in your system's sound settings, then press Start again."
ERROR_NO_NETWORK = "The AI companion could not be reached. Check that you are online, then press Start again."
ERROR_LOCAL_UNREACHABLE = "The address in the settings does not answer. Check that the service there is running, then try again."
ERROR_KEYRING = ("Your saved keys could not be read from the system's password store. Unlock it (or sign in again) "
                 "and try again, or set OPENAI_API_KEY for this run.")
ERROR_NO_KEY = ("No OpenAI API key is set. Add one in Settings, or set OPENAI_API_KEY before starting the app, "
                "or choose Demo (offline).")
ERROR_KEY_REFUSED = "OpenAI did not accept the API key. Check the key in Settings (or OPENAI_API_KEY) and try again."

MENU_SETTINGS = "&Settings…"
MENU_HELP = "&Help"
MENU_ABOUT = "&About Therapy Desktop"
MENU_DIAGNOSTICS = "Copy &diagnostics"

# -- the microphone during a session: listening mode, mute, push-to-talk ----------------------------
LISTENING_LABEL = "&Listening"
LISTENING_NAME = "Listening mode"
LISTENING_MODES = {  # keyed by AudioMode's value: short titles, the detail in the tooltip
    "speakers": ("Speakers", "Laptop speakers: your voice is kept apart from the AI companion's, and you can "
                             "interrupt it by speaking."),
    "headphones": ("Headphones", "Headphones or a headset: you can interrupt the AI companion by speaking."),
    "half_duplex": ("Take turns", "The microphone pauses while the AI companion speaks. Use it if it keeps "
                                  "interrupting itself."),
    "push_to_talk": ("Push to talk", "The microphone is on only while you hold Space or the Hold to talk button; "
                                     "let go to send what you said."),
}
LISTENING_CHANGED = "Listening mode: {mode}."
MUTE = "Mute"
MUTE_NAME = "Mute the microphone"
UNMUTE = "Unmute"
MUTE_TIP = "Mute or unmute the microphone (Ctrl+M)"
MUTED_STATE = "Muted — the AI companion hears nothing"
MUTED_ANNOUNCE = "Microphone muted. The AI companion hears nothing."
UNMUTED_ANNOUNCE = "Microphone on."
MIC_MUTED = "Mic muted"
HOLD_TO_TALK = "Hold to talk"
HOLD_TO_TALK_HELD = "Talking… let go to send"
HOLD_TO_TALK_NAME = "Hold to talk"
HOLD_TO_TALK_TIP = "Hold this button, or hold Space, while you speak; let go to send."
PUSH_TO_TALK_STATE = "Hold Space or the button while you speak"
PUSH_TO_TALK_HELD_STATE = "Listening to you — let go to send"
PUSH_TO_TALK_SENT = "Sent."
MIC_OFF_UNTIL_HELD = "Mic off until you hold to talk"
