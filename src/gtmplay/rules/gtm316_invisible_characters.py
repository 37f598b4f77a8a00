r"""Names and descriptions hold no invisible or control characters.

YAML escapes such as `"\u202e"` let a name carry characters nobody sees: a
right-to-left override that makes "Discovery" display as something else, a
zero-width space that makes two names look the same, a terminal escape. The
generated documents and CRM exports show the name as written, so a reviewer
of the pull request cannot tell what the sales team will see. gtmplay's
reports show these characters as `<U+202E>`; this rule asks to remove them.

Checked: the name and description of every market, persona, team, lifecycle
step, stage (and its guidance), asset, activity, handoff, KPI, meeting and
scoring signal.
Control characters (other than tab and line breaks), bidirectional controls,
zero-width and other format characters are reported; spaces of every script
and the zero-width joiners that Persian, Indic scripts and emoji need are
not.

Failing:

```yaml
stages:
  - {id: discovery, name: "Disc\u202eovery", probability: 10, forecast: pipeline}
```

Passing:

```yaml
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level, visible
from gtmplay.model import KINDS
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM316"
NAME = "coherence.invisible-characters"
LEVEL = Level.WARNING
SUMMARY = "A name or description holds invisible or control characters."

_FIELDS = ("name", "description", "guidance")


def check(ctx: RuleContext) -> Iterator[Problem]:
    for kind in KINDS:
        for item in kind.items(ctx.playbook):
            for field in _FIELDS:
                text = getattr(item, field, "")
                if not text or visible(text) == text:
                    continue
                hidden = sorted({c for c in text if visible(c) != c})
                codes = ", ".join(f"U+{ord(c):04X}" for c in hidden)
                where = f'{kind.title} "{item.id}"'
                yield ctx.problem(
                    item.path,
                    f"{where} has invisible or control characters in its {field}: {codes}",
                    key=field,
                    hint="remove them: documents and CRM exports show the text as written",
                )
