"""Roles and rights. Without sign-in configured there is one local user holding every right."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("viewer", "member", "editor")  # each role holds every right of the roles before it
# The least role that holds each right. Viewers browse and use the playground with their own key.
RIGHTS = {
    "run": "viewer",
    "vote": "viewer",
    "team_endpoints": "member",
    "save_scenario": "member",
    "import": "editor",
    "rollback": "editor",
    "delete_scenario": "editor",
}
DOING = {
    "run": "run the playground",
    "vote": "vote",
    "team_endpoints": "use the team's endpoints and keys",
    "save_scenario": "save scenarios",
    "import": "import facts",
    "rollback": "roll back imports",
    "delete_scenario": "delete scenarios",
}
GROUP_PREFIX = "group:"


class Forbidden(PermissionError):
    """A write or a use the user's role does not allow; the message names the role needed."""


@dataclass(frozen=True)
class User:
    """Who is using the app: an e-mail (or 'local') and the role it maps to; role None means no access at all."""

    name: str
    role: str | None
    signed_in: bool = False

    def may(self, right: str) -> bool:
        """Whether this user's role holds right."""
        if self.role is None:
            return False
        return ROLES.index(self.role) >= ROLES.index(RIGHTS[right])

    def require(self, right: str) -> None:
        """Raise Forbidden, worded for the user, unless this user's role holds right."""
        if self.may(right):
            return
        needed = RIGHTS[right]
        held = f"your role is {self.role}" if self.role else "you have no role on this server"
        article = "an" if needed[0] in "aeiou" else "a"
        raise Forbidden(f"Only {article} {needed} or above may {DOING[right]}; {held}. Ask an editor of this server.")


LOCAL_USER = User("local", "editor")


def _names(value: Any) -> list[str]:
    """A secrets entry as a list of lower-cased names: one string or a list of them."""
    items = [value] if isinstance(value, str) else list(value or [])
    return [str(item).strip().lower() for item in items if str(item).strip()]


@dataclass(frozen=True)
class RoleRules:
    """Which e-mails and groups hold which role, read from the [roles] section of secrets.

    [roles]
    editor = ["alice@example.com", "group:llm-admins"]
    member = ["group:llm-team"]
    default = "viewer"       # anyone else the identity provider signs in; "none" lets nobody else in
    group_claim = "groups"   # the ID-token claim that lists the user's groups
    """

    members: Mapping[str, str] = field(default_factory=dict)  # lower-cased e-mail or group:NAME -> role
    default: str | None = "viewer"
    group_claim: str = "groups"

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any] | None) -> RoleRules:
        """Rules from the [roles] section; a role name that does not exist is an error naming it."""
        section = dict(section or {})
        default = str(section.get("default", "viewer")).strip().lower()
        if default not in (*ROLES, "none"):
            raise ValueError(f"[roles] default must be one of {', '.join(ROLES)} or none, got {default!r}")
        unknown = set(section) - {*ROLES, "default", "group_claim"}
        if unknown:
            raise ValueError(f"[roles] has unknown entries {sorted(unknown)}: use {', '.join(ROLES)}, default")
        members: dict[str, str] = {}
        for role in ROLES:  # later roles are higher, so a name listed twice keeps the higher role
            members |= dict.fromkeys(_names(section.get(role)), role)
        claim = str(section.get("group_claim", "groups")).strip() or "groups"
        return cls(members, None if default == "none" else default, claim)

    def role_for(self, email: str | None, groups: Iterable[str] = ()) -> str | None:
        """The highest role the e-mail or any group holds, else the default role."""
        keys = [(email or "").strip().lower()] + [GROUP_PREFIX + str(g).strip().lower() for g in groups]
        found = [self.members[k] for k in keys if k in self.members]
        if not found:
            return self.default
        return max(found, key=ROLES.index)

    def user(self, claims: Mapping[str, Any]) -> User:
        """The user an identity provider's claims describe; an unverified e-mail is not matched by name."""
        email = str(claims.get("email") or "").strip()
        verified = claims.get("email_verified", True) not in (False, "false")
        groups = claims.get(self.group_claim) or []
        groups = [groups] if isinstance(groups, str) else list(groups)
        role = self.role_for(email if verified else None, groups)
        return User(email or str(claims.get("sub") or "unknown"), role, signed_in=True)


def session_expired(claims: Mapping[str, Any], max_hours: float, now_s: float) -> bool:
    """Whether a sign-in is older than max_hours, by the ID token's issue time; a token without one is too old."""
    try:
        issued = float(claims.get("iat") or claims.get("auth_time") or 0)
    except (TypeError, ValueError):
        return True
    return not 0 < issued <= now_s + 60 or now_s - issued > max_hours * 3600
