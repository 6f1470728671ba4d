"""Accessibility (issue 18; GB/T 37668-2019, WCAG 2.1 AA): axe-core, vendored for the tests
only under tests/browser/vendor/axe-core/ (never served to users), runs over the main pages of
each role — the main menu's pages and the first detail page each list links to, plus the hazard
report form — at 1366×768 and at 390×844 with the demo data, and finds no ``serious`` or
``critical`` violation of the WCAG 2.0/2.1 A and AA rules.

axe is injected with ``page.evaluate`` (the DevTools protocol is not subject to the page's
Content-Security-Policy, ``script-src 'self'``), so the pages are tested under their real CSP:
no ``bypass_csp``.
"""

from pathlib import Path

import pytest

from tests.browser.test_phone import PHONE, ROLES, _first_detail, _main_pages, demo  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 768}
BLOCKING = {"serious", "critical"}

# The WCAG 2.0/2.1 A and AA rules (what GB/T 37668-2019 asks of a web page), and axe's
# best practices for landmarks and headings, which the brief names.
RUN_JS = """async () => {
  const r = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact,
                              summary: n.failureSummary}))
  }));
}"""

ANONYMOUS = ["/accounts/login/", "/report/", "/report/status/"]

# Pages a role reaches from the menu that are forms rather than lists.
FORMS = {"dept_housing": ["/hazards/new/"], "tw_biyang": ["/hazards/new/"]}


def axe_violations(page):
    """The ``serious``/``critical`` violations of the page as printable lines
    (``rule impact target — help``)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = []
    for v in page.evaluate(RUN_JS):
        for node in v["nodes"]:
            impact = node["impact"] or v["impact"]
            if impact in BLOCKING:
                found.append(f"{v['id']} [{impact}] {node['target']} — {v['help']}")
    return found


def _pages_of(page, live_server, username):
    pages = _main_pages(page)
    details = []
    for path in pages:
        page.goto(live_server.url + path)
        detail = _first_detail(page)
        if detail and detail not in details and detail.split("?")[0] != path:
            details.append(detail)
    return pages + details[:8] + FORMS.get(username, [])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_have_no_serious_accessibility_violation(
    demo,  # noqa: F811
    login,
    page,
    live_server,
    viewport,
):
    page.set_viewport_size(viewport)
    problems = []
    for username in ROLES:
        login(username)
        for path in _pages_of(page, live_server, username):
            page.goto(live_server.url + path)
            problems += [f"{username} {path}: {v}" for v in axe_violations(page)]
        page.context.clear_cookies()
    # signed out: the login page and the public tip-off pages
    for path in ANONYMOUS:
        page.goto(live_server.url + path)
        problems += [f"anonymous {path}: {v}" for v in axe_violations(page)]
    print("\n".join(problems))
    assert not problems, f"{len(problems)} serious/critical axe violations:\n" + "\n".join(problems)
