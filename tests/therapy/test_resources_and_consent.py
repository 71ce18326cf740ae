"""Crisis lines per region, the region from a locale, and the consent text with its version."""

import hashlib

import pytest

from therapy_desktop.therapy import consent
from therapy_desktop.therapy.consent import CONSENT_VERSION, consent_text, needs_consent
from therapy_desktop.therapy.resources import FIND_A_HELPLINE_URL, crisis_resources, region_from_locale
from therapy_desktop.therapy.safety import CRISIS_PANEL_BODY, CRISIS_PANEL_TITLE, crisis_resources_text


@pytest.mark.parametrize(
    ("region", "number", "emergency", "text"),
    [
        ("US", "988", "911", "Call or text 988"),
        ("CA", "988", "911", "Call or text 988"),
        ("GB", "116 123", "999", "116 123"),
        ("IE", "116 123", "112 or 999", "116 123"),
        ("AU", "13 11 14", "000", "13 11 14"),
        ("NZ", "1737", "111", "Call or text 1737"),
    ],
)
def test_each_region_has_its_line_and_emergency_number(region, number, emergency, text):
    resources = crisis_resources(region)
    assert resources.region == region and resources.emergency_number == emergency
    assert resources.lines[0].number == number and text in resources.lines[0].how
    assert emergency in resources.summary and FIND_A_HELPLINE_URL in resources.summary


@pytest.mark.parametrize("region", ["DE", "FR", "", None, "nowhere", "ZZ"])
def test_anywhere_else_points_to_findahelpline_and_the_local_emergency_number(region):
    resources = crisis_resources(region)
    assert resources.region == "" and resources.emergency_number == ""
    assert FIND_A_HELPLINE_URL in resources.summary
    assert "local emergency number" in resources.summary and "112" in resources.summary


@pytest.mark.parametrize(
    ("locale", "region"),
    [
        ("en_GB", "GB"),
        ("en_GB.UTF-8", "GB"),
        ("en-US", "US"),
        ("fr_CA", "CA"),
        ("en_IE", "IE"),
        ("de_DE", "DE"),
        ("de_DE@euro", "DE"),
        ("zh_Hant_TW", "TW"),
        ("GB", "GB"),
        ("UK", "GB"),
        ("en", ""),
        ("C", ""),
        ("POSIX", ""),
        ("es_419", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_region_from_locale(locale, region):
    assert region_from_locale(locale) == region


def test_resources_accept_a_locale_or_a_lowercase_region():
    assert crisis_resources("en_AU").region == "AU"
    assert crisis_resources("gb").region == "GB"
    assert crisis_resources("uk").region == "GB"


def test_the_footer_line_follows_the_region():
    assert "116 123" in crisis_resources_text("en_GB") and "988" in crisis_resources_text("US")


def test_the_panel_texts_are_warm_and_short():
    assert len(CRISIS_PANEL_TITLE) < 60 and len(CRISIS_PANEL_BODY) < 250
    for cold in ("crisis detected", "risk", "flagged", "suicid"):
        assert cold not in (CRISIS_PANEL_TITLE + CRISIS_PANEL_BODY).lower()


def test_consent_covers_what_it_is_what_is_stored_where_it_goes_and_how_to_delete():
    text = consent_text()
    for must in (
        "AI", "not a human", "not a", "licensed therapist", "Not for emergencies", "988", "116 123",
        "history", "mood", "safety plan", "settings", "Demo mode: nothing leaves this computer",
        "OpenAI mode", "sent to OpenAI", "Clinic mode", "clinic's server", "therapy-desktop forget --all --yes",
    ):
        assert must in text, must


def test_the_version_is_derived_from_the_text(monkeypatch):
    assert CONSENT_VERSION.endswith(hashlib.sha256(consent_text().encode()).hexdigest()[:12])
    changed = ((consent.CONSENT_SECTIONS[0][0], consent.CONSENT_SECTIONS[0][1] + " Changed."),) + consent.CONSENT_SECTIONS[1:]
    monkeypatch.setattr(consent, "CONSENT_SECTIONS", changed)
    assert hashlib.sha256(consent.consent_text().encode()).hexdigest()[:12] not in CONSENT_VERSION


def test_the_pinned_version_changes_only_on_purpose():
    # If this fails you changed the consent text: everyone will be asked again. Update the pin.
    assert CONSENT_VERSION == "1-" + hashlib.sha256(consent_text().encode()).hexdigest()[:12]
    assert CONSENT_VERSION == PINNED_VERSION


PINNED_VERSION = "1-aefa9ad8d850"


@pytest.mark.parametrize(("stored", "needed"), [(None, True), ("", True), ("1-000000000000", True), (CONSENT_VERSION, False)])
def test_needs_consent(stored, needed):
    assert needs_consent(stored) is needed
