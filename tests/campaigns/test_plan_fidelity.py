"""campaigns/data/plan.yaml says exactly what the plan document says (no database, no Django).

The source is the seed document (first ``*.txt`` in ``<repo>/../shared/seed/``) or, without it,
the copy ``docs/plan/source.txt``; it is parsed with ``campaigns/plan/source.py``.
"""

from __future__ import annotations

import datetime
import importlib.util
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SEED_DIR = REPO.parent / "shared" / "seed"
COPY = REPO / "docs" / "plan" / "source.txt"
PLAN_YAML = REPO / "campaigns" / "data" / "plan.yaml"

FREQUENCIES = {"monthly", "quarterly", "half_yearly", "yearly"}
SUBJECTS = {"enterprise", "department", "township", "safety_office", "county_government"}
MILESTONE_KINDS = {"deliverable", "target", "training_focus", "phase_deadline"}
# Tasks whose text opens with a lead sentence "X。" that serves as the title.
TITLED_TASKS = {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12}


def _load_plan_source():
    # Loaded by path so the test needs neither Django nor a particular sys.path/rootdir layout.
    spec = importlib.util.spec_from_file_location(
        "_plan_source_under_test", REPO / "campaigns" / "plan" / "source.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ps = _load_plan_source()


def _seed_file() -> Path | None:
    seeds = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    return seeds[0] if seeds else None


def _source_file() -> Path:
    return _seed_file() or COPY


@pytest.fixture(scope="module")
def source() -> str:
    return ps.read_plan_text(_source_file())


@pytest.fixture(scope="module")
def normalized(source) -> str:
    return ps.normalize(source)


@pytest.fixture(scope="module")
def plan() -> dict:
    with open(PLAN_YAML, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def parsed_tasks(source) -> list[dict]:
    return ps.parse_tasks(source)


def test_copy_of_the_source_is_byte_identical_to_the_seed():
    seed = _seed_file()
    if seed is None:
        pytest.skip("no shared seed document next to the repository")
    assert COPY.read_bytes() == seed.read_bytes()


def test_normalize_removes_only_line_breaks(source, normalized):
    assert "\n" not in normalized
    assert "".join(source.split()) == "".join(normalized.split())
    assert "2024 年底前完善数据库运行管理机制" in normalized  # inner spaces kept, break joined
    assert "其中:2024 年，重点开展二级医院" in normalized


def test_parser_finds_30_tasks_under_8_actions(source, parsed_tasks):
    assert [t["number"] for t in parsed_tasks] == list(range(1, 31))
    assert [t["action"] for t in parsed_tasks] == (
        [1] * 3 + [2] * 9 + [3] * 4 + [4] * 3 + [5] * 3 + [6] * 2 + [7] * 4 + [8] * 2
    )
    assert [a["title"] for a in ps.parse_actions(source)][1] == "深化重点行业领域专项治理行动"


def test_parsed_tasks_rebuild_the_main_tasks_section(source, normalized, parsed_tasks):
    """Headings + "N." + task texts, concatenated, are exactly 二、主要任务 up to 三、进度安排."""
    section = normalized.split("二、主要任务", 1)[1].split("三、进度安排", 1)[0]
    headings = {a["number"]: f"（{a['numeral']}）{a['title']}" for a in ps.parse_actions(source)}
    rebuilt, action = "", 0
    for task in parsed_tasks:
        if task["action"] != action:
            action = task["action"]
            rebuilt += headings[action]
        rebuilt += f"{task['number']}.{task['text']}"
    assert section.endswith(rebuilt)
    assert section[: len(section) - len(rebuilt)].startswith("通过三年治本攻坚")
    assert "（" not in section[: len(section) - len(rebuilt)]


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (3, "压实生产经营单位主要负责人责任。", "（高危行业领域每月至少 1次）。"),
        (14, "健全完善生产经营单位", "查清问题并依法依规严肃责任追究。"),
        (
            28,
            "聚焦重大事故隐患排查整治，",
            "推动保险机构积极参与高危行业领域企业重大事故隐患排查整治工作。",
        ),
        (30, "深化公路建设“平安工程”", "强化示范引领作用。"),
    ],
)
def test_tasks_across_page_breaks_are_whole(parsed_tasks, number, start, end):
    text = parsed_tasks[number - 1]["text"]
    assert text.startswith(start) and text.endswith(end)


def test_yaml_tasks_match_the_plan_exactly(plan, parsed_tasks):
    assert [t["number"] for t in plan["tasks"]] == list(range(1, 31))
    for row, parsed in zip(plan["tasks"], parsed_tasks, strict=True):
        assert row["text"] == parsed["text"], row["number"]
        assert row["action"] == parsed["action"], row["number"]


def test_yaml_task_titles(plan):
    for row in plan["tasks"]:
        assert row["title"], row["number"]
        if row["number"] in TITLED_TASKS:
            assert row["text"].startswith(row["title"] + "。"), row["number"]
        else:
            assert len(row["title"]) <= 20, row["number"]


def test_yaml_actions_match_the_plan(plan, source):
    assert plan["actions"] == ps.parse_actions(source)
    assert len(plan["actions"]) == 8


def test_yaml_phases_match_the_plan(plan, source, normalized):
    parsed = ps.parse_phases(source)
    assert [p["code"] for p in plan["phases"]] == [
        "mobilization",
        "special_rectification",
        "consolidation",
        "evaluation",
    ]
    for row, phase in zip(plan["phases"], parsed, strict=True):
        assert row["name"] == phase["name"]
        assert row["requirements"] == phase["requirements"]
        assert row["requirements"] in normalized


def test_phases_cover_the_campaign_without_gaps_or_overlaps(plan):
    campaign, phases = plan["campaign"], plan["phases"]
    assert phases[0]["starts_on"] == campaign["starts_on"] == datetime.date(2024, 1, 1)
    assert phases[-1]["ends_on"] == campaign["ends_on"] == datetime.date(2026, 12, 31)
    for before, after in zip(phases, phases[1:], strict=False):
        assert before["starts_on"] <= before["ends_on"]
        assert after["starts_on"] == before["ends_on"] + datetime.timedelta(days=1)


def test_campaign_facts(plan, normalized):
    campaign = plan["campaign"]
    for key in ("name", "document_number", "issued_by", "contact"):
        assert campaign[key] in normalized, key
    assert campaign["issued_on"] == datetime.date(2024, 3, 11)
    assert "2024 年 3 月 11 日" in normalized


def test_quotes_are_the_plans_own_words(plan, normalized):
    for row in plan["milestones"] + plan["obligations"]:
        assert row["quote"] in normalized, row["code"]


def test_milestones(plan):
    codes = [m["code"] for m in plan["milestones"]]
    assert len(codes) == len(set(codes))
    campaign = plan["campaign"]
    for row in plan["milestones"]:
        assert row["kind"] in MILESTONE_KINDS, row["code"]
        assert isinstance(row["due_on"], datetime.date), row["code"]
        assert campaign["starts_on"] <= row["due_on"] <= campaign["ends_on"], row["code"]
        assert row["task"] is None or 1 <= row["task"] <= 30, row["code"]
        assert row["title"], row["code"]
    targets = {m["code"]: m["due_on"] for m in plan["milestones"] if m["kind"] == "target"}
    assert targets == {
        "target-stock-2024": datetime.date(2024, 12, 31),
        "target-increment-2025": datetime.date(2025, 12, 31),
        "target-zeroing-2026": datetime.date(2026, 12, 31),
    }
    [deadline] = [m for m in plan["milestones"] if m["kind"] == "phase_deadline"]
    assert deadline["due_on"] == datetime.date(2024, 3, 15) and deadline["task"] is None


def test_obligations(plan):
    codes = [o["code"] for o in plan["obligations"]]
    assert len(codes) == len(set(codes))
    for row in plan["obligations"]:
        assert 1 <= row["task"] <= 30, row["code"]
        assert row["frequency"] in FREQUENCIES, row["code"]
        assert row["high_risk_frequency"] in FREQUENCIES | {None}, row["code"]
        assert row["subject"] in SUBJECTS, row["code"]
        assert isinstance(row["minimum_count"], int) and row["minimum_count"] >= 1


def test_every_referenced_code_exists(plan):
    departments = {d["code"] for d in plan["departments"]}
    sectors = {s["code"] for s in plan["sectors"]}
    assert len(departments) == len(plan["departments"])
    assert len(sectors) == len(plan["sectors"])
    for sector in plan["sectors"]:
        assert sector["lead_departments"], sector["code"]
        assert set(sector["lead_departments"]) <= departments, sector["code"]
    for task in plan["tasks"]:
        named = task["lead_departments"] + task["participating_departments"]
        assert set(named) <= departments, task["number"]
        assert len(named) == len(set(named)), task["number"]
        assert set(task["sectors"]) <= sectors, task["number"]


def test_organisation_units(plan):
    assert len(plan["townships"]) == 8
    assert plan["townships"][0] == {"code": "biyang", "name": "碧阳镇"}
    leads = [d for d in plan["departments"] if d["is_lead"]]
    assert len(leads) == 16
    office = next(d for d in plan["departments"] if d["code"] == "safety_office")
    assert (office["name"], office["short_name"], office["is_lead"]) == (
        "县安委会办公室",
        "安委办",
        False,
    )


def test_lead_departments_and_sectors_follow_safeguard_2(plan, source):
    """Every lead department and sector assignment is the one of 四、保障措施（二）."""
    assignments = ps.parse_lead_assignments(source)
    names = {d["code"]: d["name"] for d in plan["departments"]}
    named_leads = {name for a in assignments for name in a["departments"]}
    assert {d["name"] for d in plan["departments"] if d["is_lead"]} == named_leads
    for sector in plan["sectors"]:
        if sector.get("note") and sector["code"] == "metal_smelting":
            continue  # implied sub-sector of 工贸, explained in its note
        stem = sector["name"].removesuffix("安全")
        leads = {names[code] for code in sector["lead_departments"]}
        assert any(set(a["departments"]) == leads and stem in a["sectors"] for a in assignments), (
            sector["code"]
        )
