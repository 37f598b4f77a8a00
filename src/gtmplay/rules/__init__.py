"""Alignment rules: the registry, the rules, and their configuration.

Each rule is a module of its own (``gtm101_stage_without_marketing.py``) with
``ID``, ``NAME``, ``LEVEL``, ``SUMMARY``, a docstring that is its user
documentation, and ``check(ctx)``. They are listed here explicitly, in id
order, and imported only when rules run (:func:`gtmplay.rules.runner.run`)
or are documented (:mod:`gtmplay.rules.registry`). This package imports none
of its modules itself, so they can import it without a circle.
"""

from __future__ import annotations

RULE_MODULES: tuple[str, ...] = (
    "gtmplay.rules.gtm101_stage_without_marketing",
    "gtmplay.rules.gtm102_stage_persona_gap",
    "gtmplay.rules.gtm103_step_without_owner",
    "gtmplay.rules.gtm104_activity_supports_nothing",
    "gtmplay.rules.gtm105_activity_without_owner",
    "gtmplay.rules.gtm106_unused_asset",
    "gtmplay.rules.gtm107_step_without_activity",
    "gtmplay.rules.gtm108_activity_without_metrics",
    "gtmplay.rules.gtm109_team_without_role",
    "gtmplay.rules.gtm110_stage_without_marketing_in_motion",
    "gtmplay.rules.gtm201_missing_handoff",
    "gtmplay.rules.gtm202_handoff_without_sla",
    "gtmplay.rules.gtm203_sla_without_attempts",
    "gtmplay.rules.gtm204_handoff_without_acceptance",
    "gtmplay.rules.gtm205_handoff_without_reject_reasons",
    "gtmplay.rules.gtm206_handoff_without_reject_destination",
    "gtmplay.rules.gtm207_reject_dead_end",
    "gtmplay.rules.gtm208_handoff_team_mismatch",
    "gtmplay.rules.gtm209_sla_window_too_short",
    "gtmplay.rules.gtm301_probability_decreases",
    "gtmplay.rules.gtm302_won_stage",
    "gtmplay.rules.gtm303_lost_stage",
    "gtmplay.rules.gtm304_open_stage_forecast",
    "gtmplay.rules.gtm305_forecast_order",
    "gtmplay.rules.gtm306_cycle_exceeds_kpi",
    "gtmplay.rules.gtm307_mql_unreachable",
    "gtmplay.rules.gtm308_kpi_without_target",
    "gtmplay.rules.gtm309_kpi_without_owner",
    "gtmplay.rules.gtm310_missing_team_function",
    "gtmplay.rules.gtm311_missing_closed_stages",
    "gtmplay.rules.gtm312_no_converted_step",
    "gtmplay.rules.gtm313_kpi_not_reviewed",
    "gtmplay.rules.gtm314_no_joint_meeting",
    "gtmplay.rules.gtm315_stage_without_exit_criteria",
    "gtmplay.rules.gtm316_invisible_characters",
    "gtmplay.rules.gtm317_motion_without_won_stage",
    "gtmplay.rules.gtm318_motion_stage_order",
    "gtmplay.rules.gtm319_stage_in_no_motion",
    "gtmplay.rules.gtm320_motion_default_stage",
    "gtmplay.rules.gtm321_kpi_target_unreachable",
    "gtmplay.rules.gtm401_strategy_incomplete",
    "gtmplay.rules.gtm402_persona_unreached",
    "gtmplay.rules.gtm403_market_unaddressed",
    "gtmplay.rules.gtm404_strategy_inconsistent",
    "gtmplay.rules.gtm501_salesforce_length",
    "gtmplay.rules.gtm502_salesforce_duplicate_names",
    "gtmplay.rules.gtm601_stage_over_target",
    "gtmplay.rules.gtm602_open_past_target",
    "gtmplay.rules.gtm603_probability_miscalibrated",
    "gtmplay.rules.gtm604_sla_breached",
    "gtmplay.rules.gtm605_leads_left_behind",
    "gtmplay.rules.gtm606_rejected_without_reason",
    "gtmplay.rules.gtm607_kpi_missed",
)
