"""Roles from secrets: e-mails and groups map to viewer, member or editor; each right needs its least role."""

from __future__ import annotations

import pytest

from llmcompare.teams.roles import LOCAL_USER, Forbidden, RoleRules, User, session_expired

SECTION = {"editor": ["Alice@Example.com", "group:admins"], "member": "group:llm-team", "default": "viewer"}


def test_emails_and_groups_map_to_the_highest_role_they_hold():
    rules = RoleRules.from_mapping(SECTION)
    assert rules.user({"email": "alice@example.com"}).role == "editor"
    assert rules.user({"email": "bob@example.com", "groups": ["llm-team"]}).role == "member"
    assert rules.user({"email": "bob@example.com", "groups": ["llm-team", "admins"]}).role == "editor"
    assert rules.user({"email": "carol@example.com"}).role == "viewer"


def test_an_unverified_email_is_not_matched_by_name():
    user = RoleRules.from_mapping(SECTION).user({"email": "alice@example.com", "email_verified": False})
    assert user.role == "viewer"


def test_the_group_claim_is_configurable_and_strangers_can_be_kept_out():
    rules = RoleRules.from_mapping({"member": ["group:staff"], "default": "none", "group_claim": "roles"})
    assert rules.user({"email": "x@example.com", "roles": "staff"}).role == "member"
    assert rules.user({"email": "x@example.com", "groups": ["staff"]}).role is None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("viewer", {"run", "vote"}),
        ("member", {"run", "vote", "team_endpoints", "save_scenario"}),
        ("editor", {"run", "vote", "team_endpoints", "save_scenario", "import", "rollback", "delete_scenario"}),
        (None, set()),
    ],
)
def test_each_role_holds_exactly_its_rights(role, allowed):
    user = User("u@example.com", role, signed_in=True)
    rights = {"run", "vote", "team_endpoints", "save_scenario", "import", "rollback", "delete_scenario"}
    assert {r for r in rights if user.may(r)} == allowed
    for right in rights - allowed:
        with pytest.raises(Forbidden, match="Ask an editor"):
            user.require(right)


def test_the_local_user_has_every_right():
    assert LOCAL_USER.may("import") and LOCAL_USER.may("delete_scenario") and not LOCAL_USER.signed_in


def test_a_wrong_roles_section_is_an_error_naming_it():
    with pytest.raises(ValueError, match="default"):
        RoleRules.from_mapping({"default": "admin"})
    with pytest.raises(ValueError, match="unknown entries"):
        RoleRules.from_mapping({"editors": ["a@example.com"]})


def test_a_sign_in_older_than_the_limit_has_expired():
    now = 1_800_000_000.0
    assert not session_expired({"iat": now - 3600}, 24, now)
    assert session_expired({"iat": now - 25 * 3600}, 24, now)
    assert session_expired({}, 24, now)  # no issue time at all
    assert session_expired({"iat": now + 3600}, 24, now)  # issued in the future
