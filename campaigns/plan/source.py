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


def parse_phases(text: str, *, strict: bool = True) -> list[dict]:
    """The four phases of 三、进度安排, in order.

    ``strict=False`` (drafting another plan) skips a paragraph that does not read like a
    phase instead of raising (:func:`section_leftovers` reports it).

    Returns ``[{"number": 1, "numeral": "一", "name": "动员部署阶段", "period": "2024 年 4 月前",
    "requirements": "编制印发…报县安委会办公室。"}, …]``; ``requirements`` is the paragraph
    after "（一）动员部署阶段（2024 年 4 月前）。", line breaks removed.
    """
    phases = []
    for kind, _match, joined in _blocks(_section_lines(text, "进度安排")):
        if kind != "heading":
            continue
        match = _PHASE.match(joined)
        if not match and not strict:
            continue
        if not match:
            raise ValueError(f"unrecognised phase paragraph {joined[:30]!r}")
        phase = match.groupdict()
        phase["number"] = numeral_value(phase["numeral"])
        if strict and phase["number"] != len(phases) + 1:
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


# --- drafting a plan file from a document laid out like ours (manage.py draft_plan) ---------

PLACED_SECTIONS = ("主要任务", "进度安排")
_PERIOD_MONTH = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月")
_DOCUMENT_NUMBER = re.compile(r"\S+〔\d{4}〕\s*\d+\s*号")
_TITLE = re.compile(r"《(?P<name>[^》]+?)(?:（(?P<years>[^）]*)）)?》")
_YEARS = re.compile(r"(\d{4})\s*(?:[—–-]+\s*(\d{4}))?")


def top_sections(text: str) -> list[tuple[str, int]]:
    """The top-level headings "<numeral>、<title>" in order, with their count of content
    lines (the heading excluded): ``[("总体要求", 24), ("主要任务", 571), …]``."""
    lines = _content_lines(text)
    found: list[tuple[str, int]] = []
    starts: list[int] = []
    for index, line in enumerate(lines):
        if match := _TOP_HEADING.match(line):
            found.append((match.group(2), 0))
            starts.append(index)
    ends = starts[1:] + [len(lines)]
    return [
        (title, end - start - 1)
        for (title, _n), start, end in zip(found, starts, ends, strict=True)
    ]


def lines_before_sections(text: str) -> int:
    """Content lines before the first top-level heading (the notice, the title, the
    preamble)."""
    for index, line in enumerate(_content_lines(text)):
        if _TOP_HEADING.match(line):
            return index
    return len(_content_lines(text))


def section_leftovers(text: str, title: str) -> list[str]:
    """Blocks of section ``title`` that are neither an action/phase heading nor a task: the
    preamble paragraph before the first heading, and in 进度安排 any paragraph that does not
    read "（一）…阶段（period）。requirements". Each as its joined text."""
    leftovers = []
    for kind, _match, joined in _blocks(_section_lines(text, title)):
        if kind == "preamble":
            leftovers.append(joined)
        elif title == "进度安排" and kind == "heading" and not _PHASE.match(joined):
            leftovers.append(joined)
        elif title == "进度安排" and kind == "task":
            leftovers.append(joined)
    return leftovers


def parse_header(text: str) -> dict:
    """What the document says about itself: ``document_number`` (e.g. "黟安〔2024〕3 号"),
    ``name`` (the 《…》 title without "实施方案"/the years), ``first_year``/``last_year``
    (from "（2024—2026 年）", else ``None``). Missing parts are empty strings / ``None``."""
    flat = normalize(text)
    number = _DOCUMENT_NUMBER.search(flat)
    title = _TITLE.search(flat)
    name, first, last = "", None, None
    if title:
        name = title["name"].removesuffix("实施方案")
        years = _YEARS.search(title["years"] or "") or _YEARS.search(title["name"])
        if years:
            first = int(years.group(1))
            last = int(years.group(2) or years.group(1))
    return {
        "document_number": number.group(0) if number else "",
        "name": name,
        "first_year": first,
        "last_year": last,
    }


def period_months(period: str) -> list[tuple[int, int]]:
    """(year, month) pairs named in a phase period ("2024 年 5 月至 2025 年 12 月" →
    ``[(2024, 5), (2025, 12)]``; a month without its year takes the previous year:
    "2026 年 10 月至 12 月" → ``[(2026, 10), (2026, 12)]``). Empty when none."""
    months, year = [], None
    for match in _PERIOD_MONTH.finditer(period):
        year = int(match.group(1)) if match.group(1) else year
        if year is None:
            continue
        months.append((year, int(match.group(2))))
    return months
