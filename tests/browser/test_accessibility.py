"""axe-core (shipped by axe-playwright-python) finds no serious or critical accessibility
violation on the main page kinds, in the light and in the dark scheme."""

from __future__ import annotations

import pytest

from . import site_ui as ui

PAGES = {
    "home": "",
    "topic": "topics/vision/",
    "paper": "papers/dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models/",
    "code": "code/available/",
    "explore": "explore/",
    "stats": "stats/",
}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def blocking_violations(axe, page) -> list[str]:
    results = axe.run(page).response
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            for violation in results["violations"] if violation["impact"] in BLOCKING]


@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_accessibility_violations(open_page, site_url, axe, kind):
    page = open_page(color_scheme="light")
    ui.goto(page, site_url, PAGES[kind])
    violations = blocking_violations(axe, page)
    ui.switch_color_scheme(page, "slate")
    violations += [f"dark: {violation}" for violation in blocking_violations(axe, page)]
    assert not violations, "\n".join(violations)
