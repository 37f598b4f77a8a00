"""Where the measure tests find the shared CRM histories and their playbooks.

One place for the lookup that the real-data tests, the warehouse tests, the
README's measure example and the session fixture ``maven_measured`` share.
"""

from __future__ import annotations

from pathlib import Path

# shared/realworld/crm-history: this machine's shared folder, else the one
# beside the repository (as in CI, where the clone sits next to shared/)
DATA = Path("/work/shared/realworld/crm-history")
if not DATA.is_dir():
    DATA = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "crm-history"
MAVEN = DATA / "maven-crm-sales-opportunities"
PLAYBOOKS = Path(__file__).parent / "playbooks"
