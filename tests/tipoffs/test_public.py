"""The public side (no account): the form, the tracking code, the status page, the abuse guard
(rate limits per address and per code, size limits, honeypot) and the photo policy."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse
from PIL import Image

from campaigns.models import Township
from tipoffs import constants as c
from tipoffs import services
from tipoffs.models import TipOff, code_digest

from .conftest import IDENTITY, gps_photo, submit

REPORT = "/report/"
TRACK = "/report/status/"


def form_data(**kw):
    data = {
        "description": "工地脚手架没有防护网，工人高处作业不系安全带",
        "township": Township.objects.get(code="biyang").pk,
        "address": "碧阳镇示例路 3 号",
        "enterprise_name": "",
        "observed_on": "2026-11-20",
        "anonymous": "on",
    }
    data.update(kw)
    return data


def test_public_page_needs_no_login_and_is_chinese(client):
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "举报" in html and 'name="viewport"' in html
    assert 'name="website"' in html  # the honeypot is there, hidden from people


def test_anonymous_submission_answers_a_long_random_code(client):
    response = client.post(REPORT, form_data())
    assert response.status_code == 201
    code = response.context["code"]
    assert len(code) >= 32 and "no-store" in response.headers["Cache-Control"]
    assert code in response.content.decode()
    tipoff = TipOff.objects.get()
    assert tipoff.code_digest == code_digest(code) and code not in tipoff.code_digest
    assert tipoff.anonymous and not tipoff.reporter_ip and tipoff.status == "received"
    assert tipoff.step_due_on == datetime.date.today() + datetime.timedelta(days=c.TRIAGE_DAYS)


def test_two_codes_differ():
    _t1, c1 = submit()
    _t2, c2 = submit()
    assert c1 != c2


def test_named_submission_needs_a_way_to_reach_the_reporter(client):
    response = client.post(REPORT, form_data(anonymous="", reporter_name="张三"))
    assert response.status_code == 400
    assert "电话" in response.content.decode() or "联系" in response.content.decode()
    assert not TipOff.objects.exists()


def test_invalid_id_number_is_named(client):
    response = client.post(
        REPORT,
        form_data(
            anonymous="",
            reporter_name="张三",
            reporter_phone="13800000000",
            reporter_id_number="110105194912310021",
        ),
    )
    assert response.status_code == 400
    assert "身份证" in response.content.decode()


def test_named_submission_keeps_the_identity_and_ip(client):
    response = client.post(REPORT, form_data(anonymous="", **IDENTITY), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 201
    t = TipOff.objects.get()
    assert (t.reporter_name, t.reporter_phone, t.reporter_ip) == (
        IDENTITY["reporter_name"],
        IDENTITY["reporter_phone"],
        "203.0.113.7",
    )


def test_future_date_is_refused_with_a_message(client):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(REPORT, form_data(observed_on=future))
    assert response.status_code == 400 and "晚于今天" in response.content.decode()


def test_photo_is_stored_without_any_metadata(client, settings):
    response = client.post(REPORT, {**form_data(), "photos": [gps_photo()]})
    assert response.status_code == 201
    photo = TipOff.objects.get().photos.get()
    assert "site" not in photo.file.name  # not the reporter's file name
    with Image.open(photo.file.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif() and "exif" not in stored.info


def test_not_an_image_is_a_form_error(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(REPORT, {**form_data(), "photos": [fake]})
    assert response.status_code == 400 and not TipOff.objects.exists()


def test_too_many_photos_are_refused(client):
    photos = [gps_photo(f"p{i}.jpg", (i * 30, 20, 20)) for i in range(c.MAX_PHOTOS + 1)]
    response = client.post(REPORT, {**form_data(), "photos": photos})
    assert response.status_code == 400 and not TipOff.objects.exists()


def test_oversized_body_is_413_before_parsing(client):
    response = client.post(REPORT, form_data(), CONTENT_LENGTH=str(c.MAX_SUBMISSION_BYTES + 1))
    assert response.status_code == 413
    assert "过大" in response.content.decode() or "8 MB" in response.content.decode()


def test_honeypot_filled_is_refused_and_nothing_saved(client):
    response = client.post(REPORT, form_data(website="http://spam.example"))
    assert response.status_code == 400 and not TipOff.objects.exists()


def test_a_burst_of_100_from_one_address_is_throttled_without_500(client):
    """The clock stands still: a slow run must not cross into the next one-minute window
    (it did at a high machine load: 4 accepted instead of 2)."""
    from freezegun import freeze_time

    with freeze_time(datetime.datetime.now(datetime.UTC)):
        _burst_is_throttled(client)


def _burst_is_throttled(client):
    statuses = [
        client.post(REPORT, form_data(), REMOTE_ADDR="198.51.100.9").status_code for _ in range(100)
    ]
    assert 500 not in statuses
    assert statuses.count(201) == 2  # SUBMIT_BURST_PER_IP = 2 per minute
    assert set(statuses[2:]) == {429}
    refused = client.post(REPORT, form_data(), REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "过多" in refused.content.decode()
    # another address is not affected
    assert client.post(REPORT, form_data(), REMOTE_ADDR="198.51.100.10").status_code == 201


def test_rate_limit_counts_without_redis(client, settings, unreachable_redis_url):
    """The counters live in the database cache: with the Redis cache unreachable the guard
    still refuses with 429, never 500."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": unreachable_redis_url,
        },
    }
    statuses = [
        client.post(REPORT, form_data(), REMOTE_ADDR="192.0.2.1").status_code for _ in range(4)
    ]
    assert statuses == [201, 201, 429, 429]


def test_counters_are_in_the_database_cache():
    assert caches["ratelimit"].__class__.__name__ == "DatabaseCache"


def test_status_page_shows_status_and_public_reply_only(client, users):
    tipoff, code = submit(
        **{**IDENTITY, "anonymous": False}, description="独特的描述内容：仓库里堆放烟花爆竹"
    )
    services.tipoff_reply(
        tipoff=tipoff, actor=users["office"], public_reply="已收到，正在安排核查。"
    )
    response = client.post(TRACK, {"code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert "已受理" in html and "已收到，正在安排核查。" in html
    for secret in [tipoff.number, "独特的描述内容", tipoff.address, *IDENTITY.values()]:
        assert secret not in html
    assert code not in html  # not even the code is echoed back


def test_status_page_unknown_code(client):
    response = client.post(TRACK, {"code": "x" * 32})
    assert response.status_code == 400 and "查询码" in response.content.decode()


def test_status_code_is_never_in_a_url(client):
    _tipoff, code = submit()
    response = client.get(TRACK, {"code": code})
    assert response.status_code == 200 and "tipoff-status" not in response.content.decode()


def test_status_lookups_of_one_code_are_limited(client):
    _tipoff, code = submit()
    rate = int(c.STATUS_RATE_PER_CODE.split("/")[0])
    for i in range(rate):
        assert client.post(TRACK, {"code": code}, REMOTE_ADDR=f"10.0.{i}.1").status_code == 200
    assert client.post(TRACK, {"code": code}, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_status_lookups_of_one_address_are_limited(client):
    rate = int(c.STATUS_RATE_PER_IP.split("/")[0])
    for i in range(rate):
        assert client.post(TRACK, {"code": f"guess{i:030d}"}).status_code == 400
    response = client.post(TRACK, {"code": "another-guess"})
    assert response.status_code == 429


def test_overlong_code_is_a_form_error(client):
    response = client.post(TRACK, {"code": "x" * 500})
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["tipoffs:report", "tipoffs:track"])
def test_public_pages_show_no_office_menu(client, name):
    html = client.get(reverse(name)).content.decode()
    assert "/tipoffs/" not in html and "/hazards/" not in html
