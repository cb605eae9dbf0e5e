"""Who may change what (no Streamlit, no SQL).

* **viewer**: reads and downloads everything, and saves their own value-for-money scenarios.
* **editor** of a region (NENC, BNSSG or both): changes that region's data: the service register,
  workshops and their ratings, local barriers, clinic audits, observed outcomes, the improvement
  cycle, APEASE ratings and the action plan.
* **admin**: everything, and who has which role.

Without sign-in configured the app runs in **local mode** (one person on their own computer):
the local user may change everything, as before sign-in existed, and the sidebar says so.
Repositories check the actor on the server side before every write, so a hidden button is
never the only protection.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = {"viewer": "Viewer (read, download, own scenarios)", "editor": "Editor of a region's data", "admin": "Administrator"}
REGIONS = ("NENC", "BNSSG")


class Refused(PermissionError):
    """The signed-in person's role does not allow this change; nothing was written."""


@dataclass(frozen=True)
class Actor:
    email: str
    role: str
    regions: frozenset[str] = frozenset()
    local: bool = False

    def can_edit(self, region: str | None) -> bool:
        """May change data of ``region`` (``None``: data of no one region, such as the shipped
        content's settings: admins and editors of every region)."""
        if self.role == "admin":
            return True
        if self.role != "editor":
            return False
        return set(REGIONS) <= self.regions if region is None else region in self.regions

    def check(self, region: str | None, what: str) -> None:
        if not self.can_edit(region):
            where = f" in {region}" if region else ""
            raise Refused(f"{self.email} ({ROLES.get(self.role, self.role).lower()}) may not {what}{where}; nothing was written.")

    def check_admin(self, what: str) -> None:
        if self.role != "admin":
            raise Refused(f"Only an administrator may {what}; nothing was written.")

    @property
    def label(self) -> str:
        if self.local:
            return "Local mode (one user on this computer)"
        scope = ", ".join(sorted(self.regions)) if self.role == "editor" else ""
        return f"{self.email}: {ROLES.get(self.role, self.role)}" + (f" ({scope})" if scope else "")


#: The one user of an installation without sign-in.
LOCAL = Actor("local user", "admin", frozenset(REGIONS), local=True)


def parse_regions(text: str | None) -> frozenset[str]:
    return frozenset(r.strip().upper() for r in (text or "").split(",") if r.strip().upper() in REGIONS)
