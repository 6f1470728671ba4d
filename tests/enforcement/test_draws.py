"""双随机一公开 (task 26): reproducible replay from the stored seed and pool, conflict ties never
drawn, planned inspections created, the public page without personal data, scoping."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from campaigns.models import Department, Role
from enforcement.inspections import services
from enforcement.inspections.models import ConflictTie, Draw, Inspection
from tests.conftest import make_user
from tests.hazards.factories import make_enterprise

pytestmark = pytest.mark.django_db
D = datetime.date


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def pool(users):
    """Eight gas enterprises in 碧阳镇 (visible to 住建局 and to the township) and a roster of
    four 住建局 inspectors (the fixture's staff user plus three)."""
    office = users["office"]
    enterprises = [
        make_enterprise(office, township="biyang", sectors=("gas",), name=f"抽查燃气站{i}")
        for i in range(8)
    ]
    housing = Department.objects.get(code="housing")
    roster = [users["department"]] + [
        make_user(f"insp{i}", Role.DEPARTMENT_STAFF, department=housing) for i in range(3)
    ]
    return {"enterprises": enterprises, "roster": roster, "department": housing}


def _draw(users, pool, **kw):
    params = dict(
        actor=users["department"],
        department=pool["department"],
        title="2026 年第四季度燃气双随机抽查",
        planned_on=D(2099, 1, 10),
        enterprise_count=3,
        inspector_count=2,
        seed=20261201,
    )
    params.update(kw)
    return services.draw_create(**params)


def test_draw_replays_identically_from_its_stored_seed_and_pool(users, pool):
    draw = _draw(users, pool)
    draw.refresh_from_db()
    assert len(draw.result) == 3 and all(len(r["inspectors"]) == 2 for r in draw.result)
    assert services.draw_replay(draw) == draw.result
    # the pool is frozen: enterprises added later do not change the replay
    make_enterprise(users["office"], township="biyang", sectors=("gas",), name="新增燃气站")
    assert services.draw_replay(Draw.objects.get(pk=draw.pk)) == draw.result
    # and the same seed over the same inputs gives the same draw again
    again = _draw(users, pool, title="复核")
    assert again.pool_ids != draw.pool_ids or again.result == draw.result


def test_draw_stores_who_drew_when_and_the_frozen_inputs(users, pool):
    draw = _draw(users, pool)
    assert draw.drawn_by == users["department"] and draw.drawn_at is not None
    assert draw.seed == 20261201
    assert set(draw.pool_ids) >= {e.pk for e in pool["enterprises"]}
    assert draw.roster_ids == sorted(u.pk for u in pool["roster"])


def test_a_fresh_seed_is_drawn_when_none_is_given(users, pool):
    a = _draw(users, pool, seed=None)
    b = _draw(users, pool, seed=None, title="第二次")
    assert a.seed != b.seed and 0 <= a.seed < 2**63


def test_draw_creates_the_planned_inspections(users, pool):
    draw = _draw(users, pool)
    planned = Inspection.objects.filter(draw=draw)
    assert planned.count() == 3
    assert all(i.status == Inspection.Status.PLANNED for i in planned)
    by_enterprise = {i.enterprise_id: sorted(u.pk for u in i.inspectors.all()) for i in planned}
    assert by_enterprise == {r["enterprise"]: r["inspectors"] for r in draw.result}


def test_a_tied_inspector_is_never_drawn_for_that_enterprise(users, pool):
    tied = pool["roster"][1]
    for e in pool["enterprises"]:
        services.tie_record(
            actor=users["office"], enterprise=e, person=tied, reason="近亲属在该企业任职"
        )
    for seed in range(40):
        draw = _draw(
            users, pool, seed=seed, enterprise_count=5, inspector_count=3, title=f"抽查{seed}"
        )
        assert all(
            tied.pk not in r["inspectors"]
            for r in draw.result
            if r["enterprise"] in {e.pk for e in pool["enterprises"]}
        )
        assert [tied.pk, pool["enterprises"][0].pk] in draw.excluded_pairs


def test_ties_recorded_after_the_draw_do_not_change_its_replay(users, pool):
    draw = _draw(users, pool)
    first = draw.result[0]
    ConflictTie.objects.create(
        person_id=first["inspectors"][0],
        enterprise_id=first["enterprise"],
        reason="事后登记",
        recorded_by=users["office"],
    )
    assert services.draw_replay(Draw.objects.get(pk=draw.pk)) == draw.result


def test_too_few_inspectors_without_a_conflict_is_refused_and_nothing_saved(users, pool):
    for person in pool["roster"][:3]:
        for e in pool["enterprises"]:
            services.tie_record(
                actor=users["office"], enterprise=e, person=person, reason="曾在该企业任职"
            )
    with pytest.raises(ValidationError) as exc:
        _draw(users, pool, inspector_count=2)
    assert "inspector_count" in exc.value.message_dict
    assert not Draw.objects.exists() and not Inspection.objects.exists()


def test_drawing_more_enterprises_than_the_pool_holds_names_the_field(users, pool):
    with pytest.raises(ValidationError) as exc:
        _draw(
            users, pool, sector=None, township=pool["enterprises"][0].township, enterprise_count=150
        )
    assert "enterprise_count" in exc.value.message_dict


def test_another_department_cannot_draw_for_housing_and_cannot_see_its_draw(users, pool):
    with pytest.raises(PermissionDenied):
        _draw(users, pool, actor=users["other_department"])
    draw = _draw(users, pool)
    assert client_for(users["other_department"]).get(f"/draws/{draw.pk}/").status_code == 404
    assert client_for(users["department"]).get(f"/draws/{draw.pk}/").status_code == 200


def test_published_result_has_a_public_page_without_personal_data(users, pool):
    draw = _draw(users, pool)
    assert Client().get(f"/public/draws/{Draw.new_public_slug()}/").status_code == 404
    page = client_for(users["department"])
    assert page.post(f"/draws/{draw.pk}/publish/").status_code == 302
    draw.refresh_from_db()
    body = Client().get(draw.public_url()).content.decode()
    drawn = {e.pk: e for e in pool["enterprises"]}
    for row in draw.result:
        assert drawn[row["enterprise"]].name in body
    for person in pool["roster"]:
        assert person.username not in body
    assert "王某" not in body and "boss@example.invalid" not in body  # principal, e-mail


def test_township_official_cannot_publish(users, pool):
    draw = _draw(users, pool)
    with pytest.raises(PermissionDenied):
        services.draw_publish(draw=draw, actor=users["township"])


def test_api_draw_and_replay(users, pool):
    c = client_for(users["department"])
    r = c.post(
        "/api/v1/draws/",
        {
            "department": "housing",
            "title": "接口抽查",
            "enterprise_count": 2,
            "inspector_count": 1,
            "planned_on": "2099-02-01",
            "township": "biyang",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    replay = c.get(f"/api/v1/draws/{pk}/replay/").json()
    assert replay["matches"] is True and replay["result"] == r.json()["result"]
    assert client_for(users["other_township"]).get(f"/api/v1/draws/{pk}/").status_code == 404
    bad = c.post(
        "/api/v1/draws/",
        {
            "department": "housing",
            "title": "x",
            "enterprise_count": 0,
            "inspector_count": 1,
            "planned_on": "2099-02-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "enterprise_count" in bad.json()
