"""Commands that let people and systems in: sign-in accounts, API tokens and LRS clients."""

from __future__ import annotations

from typing import Annotated

import typer

from learnbridge.accounts import service as accounts
from learnbridge.cli.console import accounts_app, lrs_clients_app, out, session, tokens_app
from learnbridge.core.settings import Settings


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Option(help="The account the token acts as")],
    name: Annotated[str, typer.Option(help="What the token is for")] = "",
) -> None:
    """Issue an API bearer token. It is printed once, alone on the last line, and stored hashed."""
    with session() as db:
        token = accounts.create_token(db, email=email, name=name)
    out.print(f"token for {email} (store it now; it is not shown again):", highlight=False)
    print(token)


@lrs_clients_app.command("create")
def lrs_clients_create(
    name: Annotated[str, typer.Option(help="What the client is (the tool or content sending statements)")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            help="A scope; repeat for several (default: statements/write, statements/read/mine, state, "
            "profile; `all` reads every statement and may void any client's)"
        ),
    ] = None,
    xapi_version: Annotated[
        str,
        typer.Option(help="The xAPI version the tool speaks (1.0.3 or 2.0.0): unversioned requests get it"),
    ] = "1.0.3",
    counts_as_evidence: Annotated[
        bool,
        typer.Option(
            "--counts-as-evidence",
            help="Its completed/passed statements satisfy mandatory training (off by default)",
        ),
    ] = False,
    compatibility: Annotated[
        bool,
        typer.Option(
            "--compatibility",
            help="Accept the known deviations of popular tools such as H5P (README, Compatibility; off by "
            "default: strict conformance)",
        ),
    ] = False,
) -> None:
    """Issue LRS credentials for HTTP Basic. The last two lines are `key: KEY` and `secret: SECRET`;
    the secret is stored digested and not shown again."""
    from learnbridge.lrs import clients as lrs_clients

    settings = Settings()
    with session() as db:
        client, secret = lrs_clients.create_client(
            db,
            name=name,
            home_page=settings.base_url,
            scopes=scope,
            xapi_version=xapi_version,
            counts_as_evidence=counts_as_evidence,
            compatibility=compatibility,
        )
        key = client.key
    out.print(f"LRS client {name!r} (endpoint {settings.base_url.rstrip('/')}/xapi); store the secret now:")
    print(f"key: {key}")
    print(f"secret: {secret}")


@tokens_app.command("revoke")
def tokens_revoke(
    prefix: Annotated[str, typer.Argument(help="The first 10 characters of the token")],
) -> None:
    """Revoke tokens by their prefix."""
    with session() as db:
        count = accounts.revoke_token(db, prefix=prefix)
    out.print(f"revoked {count} token(s)")


@accounts_app.command("create")
def accounts_create(
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    ld_admin: Annotated[bool, typer.Option("--ld-admin", help="Grant the L&D admin role")] = False,
    auditor: Annotated[bool, typer.Option("--auditor", help="Grant the auditor role")] = False,
) -> None:
    """Create a sign-in account (linked to the person with that e-mail, if any)."""
    with session() as db:
        account = accounts.create_account(
            db, email=email, password=password, is_ld_admin=ld_admin, is_auditor=auditor
        )
    out.print(f"account {account.email} created" + (" (linked to a person)" if account.person_id else ""))
