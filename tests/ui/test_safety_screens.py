"""The safety screens: the crisis panel stays once raised, the consent screen decides, the safety
plan is kept and exported."""

from PySide6.QtCore import Qt

from therapy_desktop.storage.safety_plans import load_safety_plan, save_safety_plan
from therapy_desktop.therapy import crisis_resources
from therapy_desktop.therapy.consent import CONSENT_ACCEPT, CONSENT_SECTIONS
from therapy_desktop.therapy.safety import CRISIS_PANEL_TITLE
from therapy_desktop.therapy.safety_plan import Contact, SafetyPlan
from therapy_desktop.ui.consent_dialog import ConsentDialog
from therapy_desktop.ui.crisis_panel import CrisisPanel
from therapy_desktop.ui.safety_plan_dialog import SafetyPlanDialog


def test_the_crisis_panel_shows_the_regions_lines_and_follows_a_change_of_country(qtbot):
    panel = CrisisPanel(region="GB")
    qtbot.addWidget(panel)
    assert not panel.isVisible()
    panel.raise_for_crisis()
    assert panel.isVisible() and panel.title.text() == CRISIS_PANEL_TITLE
    assert "116 123" in panel.lines.text()
    panel.region.setCurrentIndex(panel.region.findData("US"))
    assert "988" in panel.lines.text()
    assert "988" in panel.accessibleDescription()  # what a screen reader hears
    requested = []
    panel.safety_plan_requested.connect(lambda: requested.append(True))
    qtbot.keyClick(panel.plan_button, Qt.Key.Key_Space)
    assert requested == [True]


def test_an_unknown_country_still_gets_an_emergency_line_and_the_helpline_finder(qtbot):
    panel = CrisisPanel(region="ZZ")
    qtbot.addWidget(panel)
    panel.raise_for_crisis()
    assert crisis_resources("").find_a_helpline_url in panel.lines.text()


def test_the_consent_screen_shows_every_section_and_accepts(qtbot):
    dialog = ConsentDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for heading, _ in CONSENT_SECTIONS:
        assert heading in text
    assert dialog.accept_button.text() == CONSENT_ACCEPT and dialog.accept_button.accessibleName()
    dialog.accept_button.click()
    assert dialog.result() == ConsentDialog.DialogCode.Accepted


def test_the_safety_plan_is_saved_read_back_and_exported(qtbot, tmp_path, app_folders):
    plan = SafetyPlan(warning_signs=("not sleeping",), people_to_ask=(Contact("Sam", "07700 900123"),))
    dialog = SafetyPlanDialog(plan, save=save_safety_plan)
    qtbot.addWidget(dialog)
    for editor in dialog.editors.values():
        assert editor.accessibleName()
    dialog.editors["coping_strategies"].setPlainText("a walk\nmusic")
    assert dialog.save()
    saved = load_safety_plan()
    assert saved.warning_signs == ("not sleeping",) and saved.coping_strategies == ("a walk", "music")
    assert saved.people_to_ask == (Contact("Sam", "07700 900123"),)
    out = tmp_path / "plan.md"
    dialog.export_to(out)
    assert "a walk" in out.read_text() and "Sam" in out.read_text()
