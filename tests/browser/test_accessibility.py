"""WCAG 2.1 AA in Chromium (issue 27): axe-core finds nothing on any page, in the light and dark
themes, on a desktop and on a 390 px phone, in every language; the keyboard reaches the content
past the filters and the newest-first feed; charts and maps carry a text alternative."""

from __future__ import annotations

import json

import pytest
from conftest import ARTIFACTS
from test_languages import assert_reads_in, english_messages, wait_for_page
from test_layout import SCREENS

PAGES = ["", "map", "events", "deployments", "regions", "data", "geoparse"]
# Every theme on every screen in English, and each other language in another combination: all
# pages in 6 sessions rather than 84 (7 pages x 2 themes x 2 screens x 3 languages).
COMBINATIONS = [("light", "desktop", "en"), ("dark", "desktop", "en"), ("light", "phone", "en"),
                ("dark", "phone", "en"), ("dark", "phone", "ar"), ("light", "desktop", "ckb")]
# The same page loads check that Arabic and Kurdish pages read right to left with no English
# interface text left (issue 26; test_languages.assert_reads_in).
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    count: v.nodes.length,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                                   (n.failureSummary || '').slice(0, 200))}));
}"""


@pytest.mark.parametrize(("theme", "screen", "lang"), COMBINATIONS)
def test_no_wcag_violation_on_any_page(browser, app_url, axe_script, theme, screen, lang):
    context = browser.new_context(color_scheme=theme, **SCREENS[screen])
    page = context.new_page()
    found: dict[str, list] = {}
    english = english_messages(lang) if lang != "en" else []
    try:
        for path in PAGES:
            wait_for_page(page, f"{app_url}/{path}?lang={lang}")
            if english:
                assert_reads_in(page, lang, english, path or "overview")
            page.add_script_tag(content=axe_script)
            violations = page.evaluate(_RUN_AXE, WCAG)
            if violations:
                found[path or "overview"] = violations
    finally:
        context.close()
    # what was found, per page, for the record (docs/accessibility.md counts them)
    (ARTIFACTS / f"axe_{theme}_{screen}_{lang}.json").write_text(json.dumps(found, indent=1))
    assert not found, found


def test_keyboard_skips_the_filters_and_scrolls_the_feed(browser, app_url):
    """From the top of the Map page, a "Skip to the content" link comes right after the page
    links, before the filters, and takes the reader to the page's title; the newest-first feed
    takes the focus (a scrollable region a keyboard can scroll) and shows where the focus is."""
    context = browser.new_context(**SCREENS["desktop"])
    page = context.new_page()
    try:
        wait_for_page(page, f"{app_url}/map")
        focused = []
        for _press in range(15):  # the sidebar's toggle and the seven page links come first
            page.keyboard.press("Tab")
            focused.append(page.evaluate("() => document.activeElement.textContent.trim()"))
            if focused[-1] == "Skip to the content":
                break
        assert focused[-1] == "Skip to the content", focused
        page.keyboard.press("Enter")
        page.wait_for_timeout(800)
        assert page.evaluate("() => location.hash") == "#content"
        top = page.evaluate("() => document.getElementById('content').getBoundingClientRect().top")
        assert 0 <= top < 300, top  # the title is on screen
        feed = page.locator('[role="region"][aria-label]').filter(has_text="·").first
        feed.focus()
        assert page.evaluate("() => document.activeElement.getAttribute('tabindex')") == "0"
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), outline
        before = page.evaluate("() => document.activeElement.scrollTop")
        page.keyboard.press("PageDown")
        page.wait_for_timeout(300)
        assert page.evaluate("() => document.activeElement.scrollTop") > before
        page.screenshot(path=str(ARTIFACTS / "a11y_map_keyboard_focus.png"))
    finally:
        context.close()


def test_month_by_month_map_respects_reduced_motion(browser, app_url):
    """With the system's reduced-motion setting the animated map has no Play button; its slider
    still steps through the months. Without it, Play is there."""
    for motion, shown in (("reduce", False), ("no-preference", True)):
        context = browser.new_context(reduced_motion=motion, **SCREENS["desktop"])
        page = context.new_page()
        try:
            wait_for_page(page, f"{app_url}/map")
            page.get_by_text("Animate through months").click()
            page.locator(".js-plotly-plot .slider-container").first.wait_for(timeout=90_000)
            play = page.evaluate("""() => [...document.querySelectorAll(
                '.js-plotly-plot .updatemenu-container')].some(
                e => getComputedStyle(e).display !== 'none')""")
            assert play == shown, motion
        finally:
            context.close()
