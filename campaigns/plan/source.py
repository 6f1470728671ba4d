"""Read the campaign plan document and cut it into its numbered parts (pure Python, no Django).

Source: 《黟县安全生产治本攻坚三年行动实施方案（2024—2026 年）》, 黟安〔2024〕3 号, issued by
黟县安全生产委员会 on 2024-03-11. The text file is a PDF extraction: every source line is
followed by a blank line and each page break leaves a run of blank lines, often in the middle of
a sentence. A copy is kept in ``docs/plan/source.txt``.

Layout of the plan as this module sees it (one heading per line)::

    二、主要任务                      top-level heading  "<numeral>、<title>"
    （一）安全生产责任落实行动          action heading     "（<numeral>）<title>"
    1.压实地方党委、政府安全生产责任。…  task               "<number>.<text>" (tasks 1…30)
    三、进度安排
    （一）动员部署阶段（2024 年 4 月前）。编制印发…   phase paragraph

``campaigns/data/plan.yaml`` holds the hand-checked data; ``tests/campaigns/
test_plan_fidelity.py`` checks it against this parser.
"""

from __future__ import annotations

import re
from pathlib import Path

NUMERALS = "一二三四五六七八九十"

_TOP_HEADING = re.compile(r"^([一二三四五六七八九十]+)、([^，。、]{2,20})$")
_SUB_HEADING = re.compile(r"^（([一二三四五六七八九十]+)）")
_TASK_START = re.compile(r"^(\d+)\.")
_PHASE = re.compile(
    r"^（(?P<numeral>[一二三四五六七八九十]+)）(?P<name>[^（]+?阶段)"
    r"（(?P<period>[^）]+)）。(?P<requirements>.+)$"
)
_LEAD_CLAUSE = re.compile(r"其中:(县发改.+?)。")
_LEAD_ITEM = re.compile(r"^(?P<departments>.+?)牵头负责(?P<sectors>.+)$")


def read_plan_text(path: str | Path) -> str:
    """Return the plan document at ``path`` as text (UTF-8; a BOM, if any, is dropped)."""
    return Path(path).read_text(encoding="utf-8-sig")


def _content_lines(text: str) -> list[str]:
    """The document's non-blank lines, each exactly as in the source."""
    return [line for line in text.splitlines() if line.strip()]


def normalize(text: str) -> str:
    """Remove the source's line breaks: join all lines, dropping blank (page-break) lines.

    Every other character is kept exactly, including inner spaces such as "2024 年底前".
    The result is a single line; quotes in plan.yaml are substrings of it.
    """
    return "".join(_content_lines(text))


def numeral_value(numeral: str) -> int:
    """Value of a Chinese numeral from 一 to 十 (``"三"`` → 3)."""
    if len(numeral) != 1 or numeral not in NUMERALS:
        raise ValueError(f"unsupported numeral {numeral!r}")
    return NUMERALS.index(numeral) + 1


def _section_lines(text: str, title: str) -> list[str]:
    """Content lines between the top-level heading ``title`` (e.g. "主要任务") and the next one."""
    lines = _content_lines(text)
    start = None
    for index, line in enumerate(lines):
        match = _TOP_HEADING.match(line)
        if not match:
            continue
        if start is not None:
            return lines[start:index]
        if match.group(2) == title:
            start = index + 1
    if start is None:
        raise ValueError(f"heading {title!r} not found in the plan")
    return lines[start:]


def _blocks(lines: list[str]) -> list[tuple[str, re.Match[str] | None, str]]:
    """Group section lines into blocks ``(kind, match, joined_text)``.

    A block starts at a task line ("N.") or a sub-heading line ("（一）…"); the lines before the
    first one form a ``"preamble"`` block. Line breaks are removed inside a block.
    """
    blocks: list[tuple[str, re.Match[str] | None, list[str]]] = []
    for line in lines:
        if match := _TASK_START.match(line):
            blocks.append(("task", match, [line]))
        elif match := _SUB_HEADING.match(line):
            blocks.append(("heading", match, [line]))
        elif blocks:
            blocks[-1][2].append(line)
        else:
            blocks.append(("preamble", None, [line]))
    return [(kind, match, "".join(parts)) for kind, match, parts in blocks]


def parse_actions(text: str) -> list[dict]:
    """The eight actions (八大行动) of 二、主要任务, in order.

    ``text`` is the whole document as returned by :func:`read_plan_text`. Returns
    ``[{"number": 1, "numeral": "一", "title": "安全生产责任落实行动"}, …]`` where ``title`` is the
    heading "（一）安全生产责任落实行动" without its "（一）" prefix, exactly as in the source.
    """
    actions = []
    for kind, match, joined in _blocks(_section_lines(text, "主要任务")):
        if kind != "heading":
            continue
        numeral = match.group(1)
        number = numeral_value(numeral)
        if number != len(actions) + 1:
            raise ValueError(f"action （{numeral}） out of order")
        actions.append({"number": number, "numeral": numeral, "title": joined[match.end() :]})
    return actions


def parse_tasks(text: str) -> list[dict]:
    """The 30 numbered tasks of 二、主要任务, in order.

    ``text`` is the whole document as returned by :func:`read_plan_text`. Returns
    ``[{"number": 1, "action": 1, "text": "压实地方党委、政府安全生产责任。充分发挥…"}, …]``:
    ``action`` is the number (1…8) of the action heading the task stands under; ``text`` is
    the task's paragraph(s) with the source line breaks removed and the "N." prefix stripped,
    ending where the next task, the next action heading or "三、进度安排" begins.
    """
    tasks: list[dict] = []
    action = 0
    for kind, match, joined in _blocks(_section_lines(text, "主要任务")):
        if kind == "heading":
            action = numeral_value(match.group(1))
        elif kind == "task":
            number = int(match.group(1))
            if number != len(tasks) + 1 or not action:
                raise ValueError(f"task {number} out of order")
            tasks.append({"number": number, "action": action, "text": joined[match.end() :]})
    return tasks


def parse_phases(text: str) -> list[dict]:
    """The four phases of 三、进度安排, in order.

    Returns ``[{"number": 1, "numeral": "一", "name": "动员部署阶段", "period": "2024 年 4 月前",
    "requirements": "编制印发…报县安委会办公室。"}, …]``; ``requirements`` is the paragraph
    after "（一）动员部署阶段（2024 年 4 月前）。", line breaks removed.
    """
    phases = []
    for kind, _match, joined in _blocks(_section_lines(text, "进度安排")):
        if kind != "heading":
            continue
        match = _PHASE.match(joined)
        if not match:
            raise ValueError(f"unrecognised phase paragraph {joined[:30]!r}")
        phase = match.groupdict()
        phase["number"] = numeral_value(phase["numeral"])
        if phase["number"] != len(phases) + 1:
            raise ValueError(f"phase （{phase['numeral']}） out of order")
        phases.append(phase)
    return phases


def parse_lead_assignments(text: str) -> list[dict]:
    """Who leads which sectors, from 四、保障措施（二） ("其中:县发改委牵头负责电力、…安全。").

    Returns ``[{"departments": ["县发改委"], "sectors": "电力、粮油储备安全"}, …]`` in source
    order; ``departments`` lists the department names as written, ``sectors`` is the sector
    wording after "牵头负责" (several sectors can share one trailing "安全").
    """
    match = _LEAD_CLAUSE.search(normalize(text))
    if not match:
        raise ValueError("lead-department clause of 保障措施（二） not found")
    assignments = []
    for item in match.group(1).split("，"):
        parts = _LEAD_ITEM.match(item)
        if not parts:
            raise ValueError(f"unrecognised lead assignment {item!r}")
        assignments.append(
            {"departments": parts["departments"].split("、"), "sectors": parts["sectors"]}
        )
    return assignments
