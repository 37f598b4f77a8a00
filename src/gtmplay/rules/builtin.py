"""Documentation of the rules that are not alignment rules.

The loader, the include assembler, the schema check and the resolver report
GTM0xx findings themselves (see ``loader.py``, ``assemble.py``, ``schema.py``,
``resolve.py``); the configuration of the rules reports GTM03x. All of them
raise, and this module documents, the constants of :mod:`gtmplay.ruleids`.
"""

from __future__ import annotations

from gtmplay.findings import Level
from gtmplay.ruleids import (
    CONFIG_INVALID,
    CONFIG_UNKNOWN_RULE,
    CONFIG_UNUSED_SUPPRESSION,
    FILE_UNREADABLE,
    INCLUDE_CONFLICT,
    INCLUDE_INVALID,
    REF_DUPLICATE_ID,
    REF_UNRESOLVED,
    SCHEMA_REQUIRED,
    SCHEMA_TYPE,
    SCHEMA_UNKNOWN_FIELD,
    SCHEMA_VALUE,
    YAML_AMBIGUOUS_VALUE,
    YAML_DUPLICATE_KEY,
    YAML_LIMIT,
    YAML_SYNTAX,
    RuleId,
)
from gtmplay.rules.info import RuleInfo

E, W = Level.ERROR, Level.WARNING


def _rule(
    rule: RuleId, level: Level, summary: str, doc: str, *, configurable: bool = False
) -> RuleInfo:
    return RuleInfo(
        id=rule.id,
        name=rule.name,
        level=level,
        summary=summary,
        doc=doc.strip(),
        configurable=configurable,
    )


BUILTIN: tuple[RuleInfo, ...] = (
    _rule(
        YAML_SYNTAX,
        E,
        "A playbook file is not valid YAML.",
        """
A file of the playbook cannot be parsed as YAML: an unclosed quote, a bad
indent, a `key: value` inside unquoted text. Nothing else is checked for that
playbook until the file parses, because every later check needs its content.

Failing:

```yaml
stages:
  - id: proposal
    guidance: Send the proposal: then follow up
```

Passing (quote text that contains `: `):

```yaml
stages:
  - id: proposal
    guidance: "Send the proposal: then follow up"
```
""",
    ),
    _rule(
        YAML_DUPLICATE_KEY,
        E,
        "A mapping defines the same key twice.",
        """
YAML keeps only one of two equal keys, silently. In a playbook that usually
means an edit was lost: two `probability:` lines, and the CRM gets one of them.

Failing:

```yaml
- id: proposal
  probability: 40
  probability: 60
```

Passing:

```yaml
- id: proposal
  probability: 60
```
""",
    ),
    _rule(
        YAML_AMBIGUOUS_VALUE,
        E,
        "YAML 1.1 reads a plain value differently from how it looks.",
        """
YAML 1.1 turns `no`, `off`, `yes` into true/false, `010` into 8 and `1:30`
into 90. Where the schema expects text, or a number written like that, the
playbook would not say what its author meant (the classic: the country code
`NO` becoming `false`).

Failing:

```yaml
regions: [SE, NO, DK]
```

Passing (quote it):

```yaml
regions: [SE, "NO", DK]
```
""",
    ),
    _rule(
        YAML_LIMIT,
        E,
        "A file exceeds a safety limit (size, nesting depth, alias expansion).",
        """
gtmplay refuses files that are larger than 16 MiB, nested deeper than 64
levels, or whose aliases expand to more than 100,000 nodes. These limits keep
a broken or hostile file from exhausting the machine that runs the check (a
CI runner, a pre-commit hook). A real playbook stays far below them.

Failing:

```yaml
a: &a [*b, *b, *b, *b, *b, *b, *b, *b, *b]   # aliases nested to billions of nodes
```

Passing: split the content into smaller files with `include:` and write it
out without alias bombs.
""",
    ),
    _rule(
        FILE_UNREADABLE,
        E,
        "A playbook file cannot be read or decoded.",
        """
The file is missing, unreadable, not UTF-8 (UTF-16 and UTF-32 are
recognised and named), or too large. The hint says which.

Failing: `playbook.yaml` saved as UTF-16 by a spreadsheet export.

Passing: the same file saved as UTF-8.
""",
    ),
    _rule(
        INCLUDE_INVALID,
        E,
        "An `include:` entry cannot be followed.",
        """
Each entry of `include:` names a file (or a glob pattern) inside the playbook
folder. An entry that leaves the folder, loops back to a file that includes
it, or names a missing file is an error; a pattern that matches no file is a
warning (it may be a typo).

Failing:

```yaml
include:
  - ../other-team/stages.yaml
```

Passing:

```yaml
include:
  - stages.yaml
  - activities/*.yaml
```
""",
    ),
    _rule(
        INCLUDE_CONFLICT,
        E,
        "Two files of one playbook define the same plain value.",
        """
Files are merged key by key and lists are concatenated, so two files may
both add stages. A plain value (`name:`, `scoring.threshold`) defined in two
files would make the result depend on include order; it is reported at the
second definition.

Failing: `playbook.yaml` and `scoring.yaml` both set `scoring.threshold`.

Passing: `scoring.threshold` is set in `scoring.yaml` only.
""",
    ),
    _rule(
        SCHEMA_REQUIRED,
        E,
        "A required field is missing.",
        """
The JSON Schema of the playbook (`gtmplay schema`) requires some fields: an
`id` on every object, `probability` and `forecast` on every stage, `from`,
`to` and `at` on every handoff. Without them nothing downstream can be built.

Failing:

```yaml
stages:
  - id: proposal
    name: Proposal
```

Passing:

```yaml
stages:
  - id: proposal
    name: Proposal
    probability: 40
    forecast: pipeline
```
""",
    ),
    _rule(
        SCHEMA_UNKNOWN_FIELD,
        E,
        "A field is not part of the playbook format.",
        """
Unknown fields are almost always typos (`probabilty:`), and a typo silently
drops the value it was meant to set. The hint suggests the closest known
field. Keys starting with `x-` are free for your own use.

Failing:

```yaml
- id: proposal
  probabilty: 40
```

Passing:

```yaml
- id: proposal
  probability: 40
```
""",
    ),
    _rule(
        SCHEMA_TYPE,
        E,
        "A value has the wrong type (text where a number belongs, ...).",
        """
Each field has a type: `probability` is a whole number, `accept` a list,
`name` text. A value of another type cannot be used.

Failing:

```yaml
probability: forty
```

Passing:

```yaml
probability: 40
```
""",
    ),
    _rule(
        SCHEMA_VALUE,
        E,
        "A value is outside what the field allows (enum, range, pattern).",
        """
Ids use lowercase letters, digits, `-` and `_`; probabilities are 0 to 100;
forecast categories, outcomes and strategy choices come from fixed lists;
durations look like `30m`, `4h`, `2d`. The message names what is allowed.

Failing:

```yaml
forecast: maybe
```

Passing:

```yaml
forecast: best-case
```
""",
    ),
    _rule(
        REF_UNRESOLVED,
        E,
        "A reference names no existing object.",
        """
Teams, stages, lifecycle steps, personas, markets, assets and KPIs are
referred to by id. A reference to an id that does not exist (a typo, an
object that was renamed or removed) is reported where it is made, with the
closest existing id as a suggestion.

Failing:

```yaml
activities:
  - id: webinar
    owner: marketng
```

Passing:

```yaml
activities:
  - id: webinar
    owner: marketing
```
""",
    ),
    _rule(
        REF_DUPLICATE_ID,
        E,
        "Two objects of the same kind share an id.",
        """
Ids name objects in references, in the CRM and in generated file names, so
they must be unique within their kind. The second use is reported, with the
place of the first.

Failing:

```yaml
stages:
  - {id: demo, name: Demo, probability: 20, forecast: pipeline}
  - {id: demo, name: Technical demo, probability: 30, forecast: pipeline}
```

Passing: rename one of them (`demo`, `technical-demo`).
""",
    ),
    _rule(
        CONFIG_UNKNOWN_RULE,
        E,
        "Configuration names a rule that does not exist or cannot be configured.",
        """
`checks.rules` in the playbook, `[rules]` in `gtmplay.toml` and `suppress:`
entries name rules by id (`GTM101`) or name
(`coverage.stage-without-marketing`). A name that matches no rule would
silently configure nothing, so it is an error, with the closest rule as a
suggestion. The foundation's rules (GTM001 to GTM021: YAML, schema,
references) cannot be turned off or suppressed.

Failing:

```yaml
checks:
  rules:
    coverage.stage-without-marketting: warning
```

Passing:

```yaml
checks:
  rules:
    coverage.stage-without-marketing: warning
```
""",
    ),
    _rule(
        CONFIG_UNUSED_SUPPRESSION,
        W,
        "A suppression matches no finding.",
        """
A `suppress:` entry that silences nothing is stale: the problem was fixed or
the entry sits on the wrong object. Left in place it would hide the problem
if it came back, so it is reported and should be removed.

Failing (the stage has a supporting activity, nothing to suppress):

```yaml
stages:
  - id: proposal
    suppress:
      - rule: GTM101
        reason: covered by partner marketing
```

Passing: remove the `suppress:` entry.
""",
        # a stale suppression is the playbook's own business: it may be turned down
        configurable=True,
    ),
    _rule(
        CONFIG_INVALID,
        E,
        "`gtmplay.toml` cannot be read or holds a value gtmplay does not understand.",
        """
`gtmplay.toml` beside the root playbook file may hold a `[rules]` table
(rule id or name = `"error"`, `"warning"`, `"note"` or `"off"`) and a
top-level `fail_on`. A file that is not valid TOML, or a level that is not
one of those, is reported at its line.

Failing:

```toml
[rules]
GTM101 = "warn"
```

Passing:

```toml
[rules]
GTM101 = "warning"
```
""",
    ),
)
