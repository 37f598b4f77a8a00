"""Application services: one module per command that does work, no click.

``check``, ``diff``, ``build``, ``import_`` and ``init``. Each
takes plain options, runs the pipeline and the outputs it needs, and returns
an outcome with an exit status; ``gtmplay.commands`` only turns click options
into those options.
"""
