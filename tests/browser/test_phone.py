"""Field use on a phone (issue 18): at 390×844, with the demo data, every main page of each role
is readable — nothing overflows horizontally (``scrollWidth <= clientWidth``: the tables turn
into cards, wide figure tables scroll inside their own box) — and where a page has a primary
action it is within the first screen."""

import pytest
from django.core.management import call_command

from tests.conftest import screenshot
from yixian_safety.celery import app as celery_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ROLES = ["tw_biyang", "dept_housing", "office", "admin"]

# A page's primary action (登记隐患, 新建子实施方案, the hazard page's actions …) is marked
# ``data-primary-action`` in its template: where present it must be within the first screen.
PRIMARY = "[data-primary-action]"


@pytest.fixture
def demo(users, settings, tmp_path):
    """The demo data (``seed_demo``) over the conftest users (same user names)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    celery_app.conf.task_always_eager = old


OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && el.offsetParent !== null) {
      let p = el.parentElement, clipped = false;
      while (p && p !== document.body) {
        const s = getComputedStyle(p);
        if (s.overflowX === 'auto' || s.overflowX === 'hidden' || s.overflowX === 'scroll') { clipped = true; break; }
        p = p.parentElement;
      }
      if (!clipped) wide.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
    }
  }
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
}"""


def _main_pages(page):
    """The main menu's pages (the API docs and the Django admin aside)."""
    hrefs = page.eval_on_selector_all(
        "#mainnav a.nav-link", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h for h in hrefs if not h.startswith(("/admin", "/api"))]


def _first_detail(page):
    """The first detail page a list links to (its first table link)."""
    link = page.locator("main table a[href^='/']").first
    if link.count():
        return link.get_attribute("href")
    return None


def test_every_main_page_fits_a_phone_for_each_role(demo, login, page, live_server):
    page.set_viewport_size(PHONE)
    problems = []
    for username in ROLES:
        login(username)
        pages = _main_pages(page)
        assert pages, username
        pages.append("/notifications/")  # the bell, not a menu entry: long escalation badges
        details = []
        for path in pages:
            page.goto(live_server.url + path)
            detail = _first_detail(page)
            if detail and detail not in details and detail.split("?")[0] != path:
                details.append(detail)
            for check in _check(page, path):
                problems.append(f"{username} {path}: {check}")
            if path == "/hazards/":  # the ledger is one labelled card per hazard
                screenshot(page, f"phone-{username}-hazards")
                assert page.locator("[data-testid=ledger] tbody td[data-label]").count() > 5
                assert page.locator("[data-testid=ledger] thead").bounding_box()["width"] <= 1
        assert "/hazards/" in pages, username
        for path in details[:12]:
            page.goto(live_server.url + path)
            for check in _check(page, path):
                problems.append(f"{username} {path}: {check}")
        screenshot(page, f"phone-{username}-last")
        page.context.clear_cookies()
    assert not problems, "\n".join(problems)


def _check(page, path):
    found = []
    m = page.evaluate(OVERFLOW_JS)
    if m["scroll"] > m["client"]:
        found.append(f"overflows {m['scroll']} > {m['client']} {m['wide']}")
    primary = page.locator(PRIMARY)
    if primary.count():
        box = primary.first.bounding_box()
        if box is None or box["y"] >= PHONE["height"]:
            found.append(f"primary action at y={box and box['y']}")
    return found


def test_a_photo_field_previews_the_photo_and_refuses_a_non_image_at_the_field(
    users, login, page, live_server, tmp_path
):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (170, 60, 40)).save(buf, format="JPEG")
    photo = tmp_path / "site.jpg"
    photo.write_bytes(buf.getvalue())
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")

    page.set_viewport_size(PHONE)
    login("dept_housing")
    page.goto(live_server.url + "/hazards/new/")
    field = page.locator("#id_before_photos")
    assert field.get_attribute("capture") == "environment"
    assert "10 MB" in page.inner_text("main form")  # the limit, before any upload
    field.set_input_files([str(photo)])
    page.wait_for_selector("[data-photo-preview] img")
    assert page.locator("[data-photo-preview] img").get_attribute("alt") == "site.jpg"
    field.set_input_files([str(text)])
    error = page.locator("[data-photo-error]")
    assert "notes.txt" in error.inner_text() and "不是图片" in error.inner_text()
    assert "is-invalid" in field.get_attribute("class")
    assert page.locator("[data-photo-preview] img").count() == 0
    screenshot(page, "phone-photo-field")


def test_the_hazard_filters_fold_behind_a_toggle_on_a_phone(demo, login, page, live_server):
    """On 390×844 the ledger's long filter form is folded behind 筛选 (with how many filters are
    set) so the first screen shows the first hazards; on a desktop the form shows as before."""
    page.set_viewport_size(PHONE)
    login("office")
    page.goto(live_server.url + "/hazards/?open=true&township=biyang")
    form = page.locator("[data-testid=filters]")
    assert not form.is_visible()
    first_row = page.locator("[data-testid=ledger] tbody tr").first.bounding_box()
    assert first_row is not None and first_row["y"] + 60 < PHONE["height"], first_row
    toggle = page.locator("[data-testid=filters-toggle]")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("[data-testid=filters-active]").inner_text() == "2"
    screenshot(page, "phone-hazards-filters-folded")
    toggle.click()
    page.locator("#id_township").wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#id_township").input_value() == "biyang"

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + "/hazards/")
    assert form.is_visible() and not toggle.is_visible()
