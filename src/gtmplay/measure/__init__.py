"""``gtmplay measure``: the CRM's history against what the playbook declares.

:mod:`~gtmplay.measure.events` defines the canonical tables, :mod:`~gtmplay.measure.queries`
the metrics as SQL, :mod:`~gtmplay.measure.figures` the typed results, and
:mod:`~gtmplay.measure.engine` runs the SQL on DuckDB (imported lazily).
"""
