"""The foundation's rules by identity: each ``(id, name)`` pair written once.

The loader, the include assembler, the schema check, the resolver and the
rule configuration raise these; :mod:`gtmplay.rules.builtin` documents them
under the same constants, so an id and its name cannot drift apart. This
module imports nothing, so every layer can use it.
"""

from __future__ import annotations

from typing import NamedTuple


class RuleId(NamedTuple):
    """A rule's id (``GTM006``) and name (``include.invalid``)."""

    id: str
    name: str


# reading the files
YAML_SYNTAX = RuleId("GTM001", "yaml.syntax")
YAML_DUPLICATE_KEY = RuleId("GTM002", "yaml.duplicate-key")
YAML_AMBIGUOUS_VALUE = RuleId("GTM003", "yaml.ambiguous-value")
YAML_LIMIT = RuleId("GTM004", "yaml.limit")
FILE_UNREADABLE = RuleId("GTM005", "file.unreadable")
INCLUDE_INVALID = RuleId("GTM006", "include.invalid")
INCLUDE_CONFLICT = RuleId("GTM007", "include.conflict")
# the schema
SCHEMA_REQUIRED = RuleId("GTM010", "schema.required")
SCHEMA_UNKNOWN_FIELD = RuleId("GTM011", "schema.unknown-field")
SCHEMA_TYPE = RuleId("GTM012", "schema.type")
SCHEMA_VALUE = RuleId("GTM013", "schema.value")
# references between objects
REF_UNRESOLVED = RuleId("GTM020", "ref.unresolved")
REF_DUPLICATE_ID = RuleId("GTM021", "ref.duplicate-id")
# the configuration of the alignment rules
CONFIG_UNKNOWN_RULE = RuleId("GTM030", "config.unknown-rule")
CONFIG_UNUSED_SUPPRESSION = RuleId("GTM031", "config.unused-suppression")
CONFIG_INVALID = RuleId("GTM032", "config.invalid")
