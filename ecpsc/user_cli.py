"""`ecpsc user …`: ending a staff member's access from the command line (issue 20, item 8).

For the operator who holds the server: when the staff pages or the admin's token are out of
reach (a leaked token, a member who left). Recorded as done by the bootstrap administrator.
"""

from __future__ import annotations

from uuid import UUID

import typer

from ecpsc.settings import Settings

user = typer.Typer(help="Staff members' access / 人员与访问", no_args_is_help=True)


def _uuid(value: str, hint: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise typer.BadParameter("not an id (UUID)", param_hint=hint) from None


@user.command("revoke")
def revoke(
    user_id: str = typer.Argument(..., help="the staff member's id"),
    token: str | None = typer.Option(
        None, "--token", help="the id of one token to revoke; without it the member is "
        "deactivated: every token and web session of theirs stops working"
    ),
    reason: str = typer.Option(..., "--reason", help="why access ends (recorded)"),
) -> None:
    """Revoke one token of a staff member, or deactivate the member altogether."""
    from domain.backoffice import BackOffice
    from domain.errors import DomainError
    from ecpsc.store import open_backoffice

    member = _uuid(user_id, "USER_ID")
    token_id = _uuid(token, "--token") if token else None
    if not reason.strip():
        raise typer.BadParameter("a reason is needed", param_hint="--reason")
    backoffice = open_backoffice(Settings())
    try:
        by = BackOffice.bootstrap_admin()
        if token_id is not None:
            backoffice.revoke_token(member, token_id, reason.strip(), by=by)
            typer.echo(f"token {token_id} of {member} revoked")
        else:
            backoffice.deactivate_user(member, reason.strip(), by=by)
            typer.echo(f"user {member} deactivated: no token or session of theirs is accepted")
    except DomainError as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(code=1) from None
    finally:
        backoffice.close()
