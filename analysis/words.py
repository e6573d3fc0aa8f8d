"""Parameters and their values in words: the one vocabulary of point names, tables and figures.

A parameter is named by the ``meaning`` its schema gives it (``sim.params.schema_rows``),
shortened to its name: the parenthesised asides, what follows a colon or semicolon, commas
and a trailing symbol go (``silo level s (0 aligned, 1 walled off)`` → ``silo level``), so a
setting never holds the ", " that separates the parts of a point's name. Values
read as words: ``closed_revenue`` → ``closed revenue``, ``it_led`` → ``IT-led``, ``True`` →
``on``. A setting is both: ``silo level 0.9``, ``20 sales reps``, ``what marketing is paid
on: closed revenue``. The engine names its points with ``setting_words``
(``experiments.point``: "Typical company, silo level 0.9"), and the report, its figures,
scenario discovery and the dashboard speak of the same parameters with the same words.

This module imports only the schema, so the engine can use it in every job.
"""

from __future__ import annotations

import functools
import numbers
import re
from typing import Any

import numpy as np

from sim.params import PROFILES, schema_rows

MODEL_PREFIX = "model."
NAME_PARTS = ", "   # a point's name: its title, then one part per setting
#: config groups chosen on the command line (``org=small``), in words
GROUP_WORDS = {"org": "organisation", "incentive": "incentive scheme",
               "costs": "cost assumptions", "scenario": "scenario",
               "ablation.action": "action"}
#: registered policy and option names whose words are not just the name without underscores
VALUE_WORDS = {"it_led": "IT-led", "sales_led": "sales-led", "abc_scoring": "ABC scoring",
               "tech_savvy": "tech-savvy",
               "at_first_sale": "at the first sale", "after_months": "some months after the sale",
               "at_potential_share": "at a share of potential", "quota_accelerated":
               "quota-accelerated", "hold_harmless": "hold-harmless"}
#: the actions an ablation toggles (configs/experiment/five_actions_ablation.yaml), in words
ACTION_WORDS = {"sponsor": "boundary spanner and sponsor", "kpis": "KPIs and governance",
                "team": "cross-functional team", "agile": "agile delivery",
                "change": "change management"}
#: words a name keeps in capitals wherever it is written in lower case
ACRONYMS = {"kpis": "KPIs", "kpi": "KPI", "crm": "CRM", "sla": "SLA", "eet": "EET", "it": "IT",
            "abc": "ABC", "mvp": "MVP", "roi": "ROI"}
_ASIDE = re.compile(r"\s*\([^()]*\)")
_SYMBOL = re.compile(r"\s[a-z]$")        # "silo level s": the symbol the ODD uses
COUNT_PREFIX = "n_"                       # org.n_reps: a count reads "20 sales reps"
#: a number goes before a name that starts with what it counts: "6 months after the first sale"
COUNTED = ("weeks", "months", "days", "hours", "reps", "marketers", "leads", "events", "members")
SHORT_NAME_WORDS = 3                      # longer names take a colon before their value


@functools.cache
def _meanings() -> dict[str, str]:
    return {row["key"]: str(row["meaning"]) for row in schema_rows()}


def key_words(key: str) -> str:
    """A parameter (``model.silo.level``, ``silo.level``) or config group in words.

    The schema's meaning, shortened to its name; a profile group (``leader``) as its block's
    ``name``; a config group by ``GROUP_WORDS``; any other key by its last part
    (``silo.level`` → ``silo level`` if the schema lacks it).
    """
    key = key.removeprefix(MODEL_PREFIX)
    if key in PROFILES:   # a profile group (``leader=sales_led``) is its block's name
        key = f"{key}.name"
    meaning = _meanings().get(key)
    if meaning is not None:
        name = re.split(r"; |: ", _ASIDE.sub("", meaning))[0].replace(",", "")
        return _SYMBOL.sub("", name).strip()
    if key in GROUP_WORDS:
        return GROUP_WORDS[key]
    parts = key.split(".")
    last = _plain(parts[-1].removeprefix(COUNT_PREFIX))
    return last if " " in last or len(parts) == 1 else f"{_plain(parts[-2])} {last}"


def value_words(value: Any) -> str:
    """A parameter value in words: ``0.9``, ``closed revenue``, ``IT-led``, ``on``; a list
    (or the comma-joined list of a runs column) as ``rotation and shared dashboard``."""
    if isinstance(value, bool | np.bool_):
        return "on" if value else "off"
    if isinstance(value, numbers.Integral):
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{float(value):g}"
    if isinstance(value, list | tuple):
        return " and ".join(value_words(v) for v in value) or "none"
    text = str(value)
    if "," in text:
        return value_words([part.strip() for part in text.split(",") if part.strip()])
    return VALUE_WORDS.get(text) or _plain(text) or "none"


def setting_words(key: str, value: Any) -> str:
    """One setting: ``silo level 0.9``, ``20 sales reps``, ``delivery mode: agile``.

    A count (``n_…``, or a name that starts with what it counts: ``weeks …``) puts its
    number first; a short name takes its number after a space; anything else takes its
    value after a colon, so the name and the value never run together.
    """
    name, words = key_words(key), value_words(value)
    numeric = isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    counted = key.split(".")[-1].startswith(COUNT_PREFIX) or name.split(" ")[0] in COUNTED
    if numeric and counted:
        return f"{words} {name}"
    if numeric and len(name.split()) <= SHORT_NAME_WORDS:
        return f"{name} {words}"
    return f"{name}: {words}"


def key_note(key: str) -> str:
    """What the schema's meaning says beyond the name: ``0 aligned, 1 walled off`` for
    ``silo.level``; empty when the name is the whole meaning."""
    meaning = _meanings().get(key.removeprefix(MODEL_PREFIX), "")
    asides = [a.strip(" ()") for a in _ASIDE.findall(meaning)]
    rest = re.split(r"; |: ", _ASIDE.sub("", meaning), maxsplit=1)[1:]
    return "; ".join(part for part in [*asides, *rest] if part)


def action_words(action: str) -> str:
    """An ablation's action in words: ``kpis`` → ``KPIs and governance``."""
    return ACTION_WORDS.get(action) or value_words(action)


def term_words(term: str) -> str:
    """A model term in words: ``silo.level=0.8 × incentives.marketing_pay=closed_revenue`` →
    ``silo level 0.8 × what marketing is paid on: closed revenue``."""
    parts = []
    for part in term.split(" × "):
        key, _, value = part.partition("=")
        parts.append(setting_words(key, _number_or_text(value)) if value else key_words(key))
    return " × ".join(parts)


def capitalised(text: str) -> str:
    """The first letter in capitals, the rest as it is (``IT-led`` stays ``IT-led``)."""
    return text[:1].upper() + text[1:]


def _number_or_text(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return {"True": True, "False": False}.get(text, text)


def _plain(name: str) -> str:
    """``abc_scoring`` → ``ABC scoring``: underscores as spaces, acronyms in capitals."""
    return " ".join(ACRONYMS.get(word, word) for word in name.replace("_", " ").split())
