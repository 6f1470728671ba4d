"""Channels: WeCom / DingTalk webhooks and an SMS gateway, against a fake endpoint on 127.0.0.1."""

from __future__ import annotations

import pytest

from campaigns.models import Digest, DigestSend
from campaigns.notifications.channels import ChannelError, SmsChannel, WebhookChannel
from campaigns.notifications.digest import digests_build, digests_dispatch
from tests.campaigns.conftest import beijing

pytestmark = pytest.mark.django_db

DUE_SOON = beijing(2025, 12, 28, 8, 30)


@pytest.fixture
def housing_digest(users):
    users["department"].phone = "13800000001"
    users["department"].save(update_fields=["phone"])
    digests_build(now=DUE_SOON, channels=[])
    digest = Digest.objects.select_related("recipient").get(recipient=users["department"])
    return digest, list(digest.items.all())


def test_wecom_webhook_posts_the_digest_text_mentioning_the_recipient(
    fake_endpoint, housing_digest
):
    WebhookChannel(url=fake_endpoint.url, flavor="wecom").send(*housing_digest)
    (request,) = fake_endpoint.requests
    body = request["json"]
    assert body["msgtype"] == "text"
    assert body["text"]["mentioned_mobile_list"] == ["13800000001"]
    assert "2025-12-28 安全生产工作提醒：共 2 项" in body["text"]["content"]
    assert "任务 19" in body["text"]["content"]
    assert request["headers"]["Content-Type"].startswith("application/json")


def test_dingtalk_webhook_uses_at_mobiles(fake_endpoint, housing_digest):
    WebhookChannel(url=fake_endpoint.url, flavor="dingtalk").send(*housing_digest)
    body = fake_endpoint.requests[0]["json"]
    assert body["at"] == {"atMobiles": ["13800000001"], "isAtAll": False}
    assert "任务 19" in body["text"]["content"]


def test_webhook_error_code_or_http_error_raises(fake_endpoint, housing_digest):
    fake_endpoint.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    with pytest.raises(ChannelError, match="93000"):
        WebhookChannel(url=fake_endpoint.url).send(*housing_digest)
    fake_endpoint.status = 500
    with pytest.raises(ChannelError, match="500"):
        WebhookChannel(url=fake_endpoint.url).send(*housing_digest)


def test_unreachable_webhook_raises_channel_error(housing_digest, settings):
    settings.NOTIFY_HTTP_TIMEOUT = 2
    with pytest.raises(ChannelError):
        WebhookChannel(url="http://127.0.0.1:9/").send(*housing_digest)


def test_sms_gateway_gets_a_short_chinese_notice_with_the_token(fake_endpoint, housing_digest):
    fake_endpoint.answer = {"ok": True}
    SmsChannel(url=fake_endpoint.url, token="t0ken").send(*housing_digest)
    request = fake_endpoint.requests[0]
    assert request["headers"]["Authorization"] == "Bearer t0ken"
    assert request["json"]["phone"] == "13800000001"
    assert request["json"]["text"].startswith("【黟县安委办】您有 2 项安全生产工作提醒")


def test_sms_needs_a_phone_number(users):
    assert not SmsChannel(url="http://127.0.0.1:1/").wants(users["township"])
    assert WebhookChannel(url="").wants(users["township"]) is False


def test_webhook_channel_through_the_daily_run_sends_each_digest_once(
    users, settings, fake_endpoint
):
    settings.NOTIFY_CHANNELS = ["in_app", "webhook"]
    settings.NOTIFY_WEBHOOK_URL = fake_endpoint.url
    digests_build(now=DUE_SOON)
    digests_dispatch()
    digests_build(now=DUE_SOON)
    digests_dispatch()
    assert len(fake_endpoint.requests) == 3  # housing, fire, office
    assert DigestSend.objects.filter(channel="webhook", status="sent").count() == 3


def test_webhook_failure_is_retried_on_the_next_pass(users, settings, fake_endpoint):
    settings.NOTIFY_CHANNELS = ["webhook"]
    settings.NOTIFY_WEBHOOK_URL = fake_endpoint.url
    digests_build(now=DUE_SOON)
    fake_endpoint.status = 503
    assert digests_dispatch().failed == 3
    fake_endpoint.status = 200
    assert digests_dispatch().sent == 3
    assert len(fake_endpoint.requests) == 6  # 3 refused + 3 accepted, none accepted twice


def test_unknown_channel_in_settings_is_a_clear_error(users, settings):
    settings.NOTIFY_CHANNELS = ["pigeon"]
    with pytest.raises(ValueError, match="pigeon"):
        digests_build(now=DUE_SOON)
