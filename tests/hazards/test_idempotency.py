"""Idempotency keys (幂等键, issue 18): a report sent again with the same key (the offline
queue's retries, an API client's) is one hazard; keys are per reporter; a bad key is a short
400 naming the problem, not the value."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.urls import reverse

from hazards.models import Attachment, Hazard
from hazards.services import hazard_report

from .factories import criterion_for, make_hazard, photo

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _form(enterprise, **more):
    return {
        "enterprise": enterprise.pk,
        "level": "major",
        "criterion": criterion_for(enterprise).pk,
        "source": "inspection",
        "found_on": "2025-03-01",
        "found_by": "检查组",
        "location": "气瓶间",
        "description": "未设置可燃气体报警装置",
        **more,
    }


def test_the_service_returns_the_first_hazard_for_a_repeated_key(users, world):
    key = uuid.uuid4()
    first = make_hazard(users["department"], world["own"], idempotency_key=key)
    again = make_hazard(users["department"], world["own"], idempotency_key=key, location="别处")
    assert again.pk == first.pk and Hazard.objects.count() == 1
    assert Hazard.objects.get().location == "气瓶间"  # the replay changed nothing


def test_the_form_logs_one_hazard_with_its_photo_for_a_key_sent_twice(client, users, world):
    client.force_login(users["department"])
    key = str(uuid.uuid4())
    first = client.post(
        reverse("hazards:create"),
        _form(world["own"], idempotency_key=key, before_photos=photo()),
        **JSON,
    )
    assert first.status_code == 201, first.content
    hazard = Hazard.objects.get()
    assert first.json() == {"url": hazard.get_absolute_url(), "ledger_number": hazard.ledger_number}
    second = client.post(
        reverse("hazards:create"),
        _form(world["own"], idempotency_key=key, before_photos=photo((1, 2, 3))),
        **JSON,
    )
    assert second.status_code == 200 and second.json()["url"] == hazard.get_absolute_url()
    assert Hazard.objects.count() == 1
    assert Attachment.objects.filter(hazard=hazard).count() == 1
    # without JSON (no script): the redirect to the same hazard, saying so
    third = client.post(reverse("hazards:create"), _form(world["own"], idempotency_key=key))
    assert third.status_code == 302 and third["Location"] == hazard.get_absolute_url()
    assert "未重复登记" in client.get(third["Location"]).content.decode()
    assert Hazard.objects.count() == 1


def test_the_header_counts_like_the_field(client, users, world):
    client.force_login(users["department"])
    key = str(uuid.uuid4())
    url = reverse("hazards:create")
    assert (
        client.post(url, _form(world["own"]), HTTP_IDEMPOTENCY_KEY=key, **JSON).status_code == 201
    )
    r = client.post(url, _form(world["own"], idempotency_key=key), **JSON)
    assert r.status_code == 200 and Hazard.objects.count() == 1
    r = client.post(
        url, _form(world["own"], idempotency_key=str(uuid.uuid4())), HTTP_IDEMPOTENCY_KEY=key
    )
    assert r.status_code == 400 and "不一致" in r.content.decode()


def test_reports_without_a_key_are_each_logged(client, users, world):
    client.force_login(users["department"])
    for _ in range(2):
        assert (
            client.post(reverse("hazards:create"), _form(world["own"]), **JSON).status_code == 201
        )
    assert Hazard.objects.count() == 2


def test_the_same_key_of_two_users_makes_two_hazards(users, world):
    key = uuid.uuid4()
    mine = make_hazard(users["department"], world["own"], idempotency_key=key)
    theirs = make_hazard(users["township"], world["own"], idempotency_key=key)
    assert mine.pk != theirs.pk and Hazard.objects.count() == 2
    assert mine.reported_by == users["department"] and theirs.reported_by == users["township"]


def test_another_users_key_does_not_answer_their_hazard(client, users, world):
    key = uuid.uuid4()
    theirs = make_hazard(users["township"], world["own"], idempotency_key=key)
    client.force_login(users["department"])
    r = client.post(reverse("hazards:create"), _form(world["own"], idempotency_key=key), **JSON)
    assert r.status_code == 201 and r.json()["url"] != theirs.get_absolute_url()


@pytest.mark.parametrize(
    ("key", "expected"),
    [("x" * 10_000, "10000 个字符"), ("not-a-uuid", "不是 UUID"), ("1234", "不是 UUID")],
)
def test_a_bad_key_is_a_short_400_naming_the_problem(client, users, world, key, expected):
    client.force_login(users["department"])
    url = reverse("hazards:create")
    r = client.post(url, _form(world["own"], idempotency_key=key), **JSON)
    assert r.status_code == 400
    message = r.json()["errors"]["idempotency_key"][0]
    assert expected in message and len(message) < 80 and key not in message
    plain = client.post(url, _form(world["own"], idempotency_key=key))
    assert plain.status_code == 400 and expected in plain.content.decode()
    assert len(plain.content) < 300
    api = client.post("/api/v1/hazards/", _form(world["own"]), HTTP_IDEMPOTENCY_KEY=key[:5000])
    assert api.status_code == 400 and "幂等键" in api.json()["idempotency_key"][0]
    assert not Hazard.objects.exists()


def test_form_errors_come_back_as_json_for_the_queue(client, users, world):
    client.force_login(users["department"])
    r = client.post(
        reverse("hazards:create"),
        _form(world["own"], found_by="", idempotency_key=str(uuid.uuid4())),
        **JSON,
    )
    assert r.status_code == 400 and list(r.json()["errors"]) == ["found_by"]
    assert not Hazard.objects.exists()


def test_the_api_answers_the_first_hazard_for_a_repeated_key(client, users, world):
    client.force_login(users["department"])
    key = str(uuid.uuid4())
    body = _form(world["own"])
    first = client.post("/api/v1/hazards/", body, HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.content
    second = client.post("/api/v1/hazards/", body, HTTP_IDEMPOTENCY_KEY=key)
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert Hazard.objects.count() == 1
    assert Hazard.objects.get().idempotency_key == uuid.UUID(key)


def test_the_schema_documents_the_header_and_both_answers(client, users):
    client.force_login(users["office"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    create = schema["paths"]["/api/v1/hazards/"]["post"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["schema"]["format"] == "uuid"
    assert {"200", "201"} <= set(create["responses"])


def test_a_replay_is_not_refused_for_a_changed_scope_or_input(users, world):
    """The replay answers the earlier hazard before any check of the new input."""
    key = uuid.uuid4()
    first = make_hazard(users["department"], world["own"], idempotency_key=key)
    again = hazard_report(
        actor=users["department"],
        enterprise=world["other"],
        source="inspection",
        found_on=first.found_on,
        found_by="x",
        location="y",
        description="z",
        idempotency_key=key,
    )
    assert again.pk == first.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_key_log_one_hazard_without_a_numbering_gap(users, world):
    """Two tabs (or a reload mid-upload) send the same draft at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    actor, enterprise, key = users["department"], world["own"], uuid.uuid4()
    barrier = threading.Barrier(4)
    pks, errors = [], []

    def submit():
        try:
            barrier.wait()
            pks.append(make_hazard(actor, enterprise, idempotency_key=key).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(pks)) == 1 and len(pks) == 4
    assert Hazard.objects.get().ledger_number == "YX-2025-0001"
    assert make_hazard(actor, enterprise).ledger_number == "YX-2025-0002"
