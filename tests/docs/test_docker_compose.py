"""docker-compose.yml checked as `docker compose config` would (no docker engine here), and
against the `ecpsc` command it runs (issue 21): every service has a health check, named volumes
are declared, notices are kept on a volume, no administrator token is written in the file, and
every command and health check names a real `ecpsc` subcommand with real options."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from ecpsc.cli import cli

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
TOP_LEVEL = {"name", "services", "volumes", "networks", "configs", "secrets"}
SERVICE_KEYS = {"image", "build", "command", "entrypoint", "environment", "env_file", "ports",
                "volumes", "depends_on", "healthcheck", "restart", "deploy", "networks",
                "user", "working_dir", "expose", "labels", "profiles"}  # fmt: skip
DURATION = re.compile(r"^(\d+(\.\d+)?(us|ms|s|m|h))+$")
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}")


class MissingVariable(Exception):
    """A required variable (`${NAME:?message}`) is unset: compose refuses to start."""


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's interpolation of one string: ${NAME}, ${NAME:-default}, ${NAME-default},
    ${NAME:?error}, ${NAME?error}, ${NAME:+alternative}; $$ is a dollar."""

    def substitute(match: re.Match[str]) -> str:
        name, operator, word = match.group(1), match.group(2), match.group(3) or ""
        present, empty = name in env, not env.get(name)
        if operator == ":-":
            return word if empty else env[name]
        if operator == "-":
            return word if not present else env[name]
        if operator in (":?", "?") and (empty if operator == ":?" else not present):
            raise MissingVariable(f"{name}: {word}")
        if operator == ":+":
            return "" if empty else word
        return env.get(name, "")

    parts = value.split("$$")
    return "$".join(VARIABLE.sub(substitute, part) for part in parts)


def interpolated(node: Any, env: dict[str, str]) -> Any:
    """The whole file with every string interpolated."""
    if isinstance(node, dict):
        return {key: interpolated(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolated(value, env) for value in node]
    return interpolate(node, env) if isinstance(node, str) else node


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """docker-compose.yml as YAML (anchors and aliases resolved)."""
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def ecpsc_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services built from this repository (they run `ecpsc`)."""
    return {name: s for name, s in compose["services"].items() if "build" in s}


def parses_as_ecpsc(argv: list[str]) -> None:
    """Parse an `ecpsc …` command line as the CLI would, failing on any unknown word."""
    assert argv[0] == "ecpsc", argv
    commands = typer.main.get_command(cli).commands  # type: ignore[attr-defined]
    name, *rest = argv[1:]
    assert name in commands, f"no ecpsc subcommand {name!r}"
    with commands[name].make_context(name, list(rest)):  # raises UsageError on a bad option
        pass


def test_the_file_has_only_known_keys(compose: dict[str, Any]) -> None:
    """Given the file, when its keys are read, then each is one compose knows (or an x- one),
    and each service has an image or a build whose Dockerfile exists."""
    assert set(compose) - TOP_LEVEL <= {k for k in compose if k.startswith("x-")}
    for name, service in compose["services"].items():
        assert set(service) <= SERVICE_KEYS, (name, set(service) - SERVICE_KEYS)
        assert ("image" in service) != ("build" in service), name
        if "build" in service:
            assert (ROOT / service["build"] / "Dockerfile").is_file(), name


def test_every_service_has_a_health_check(compose: dict[str, Any]) -> None:
    """Given every service, when its health check is read, then it has a CMD test and compose
    durations; depends_on names services, and service_healthy only ones with a check."""
    services = compose["services"]
    assert {"api", "projector", "worker", "postgres", "redis"} <= set(services)
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check and check["test"][0] in ("CMD", "CMD-SHELL"), name
        for key in ("interval", "timeout", "start_period"):
            assert key not in check or DURATION.match(check[key]), (name, key)
        for other, condition in service.get("depends_on", {}).items():
            assert other in services and other != name, (name, other)
            assert condition["condition"] in ("service_started", "service_healthy"), name
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[other], (name, other)


def test_commands_and_health_checks_are_real_ecpsc_command_lines(compose: dict[str, Any]) -> None:
    """Given the services built here, when their commands and health checks are parsed by the
    ecpsc CLI, then each is a subcommand with options it has; projector and worker beat into
    the file their health check reads."""
    services = ecpsc_services(compose)
    assert set(services) == {"api", "projector", "worker"}
    for service in services.values():
        parses_as_ecpsc(service["command"])
        test = service["healthcheck"]["test"]
        if test[1] == "ecpsc":
            parses_as_ecpsc(test[1:])
    for name in ("projector", "worker"):
        command, test = services[name]["command"], services[name]["healthcheck"]["test"]
        assert command[:2] == ["ecpsc", name]
        beat = command[command.index("--heartbeat") + 1]
        assert test[1:3] == ["ecpsc", "health"] and test[3] == beat, name


def test_named_volumes_are_declared_and_notices_are_kept_on_one(compose: dict[str, Any]) -> None:
    """Given the services' volumes, when named ones are listed, then each is declared at the top
    level (and each declared one used), and the API and worker write notices onto one."""
    used = set()
    for service in compose["services"].values():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith((".", "/", "~")):
                used.add(source)
    assert used == set(compose.get("volumes") or {})
    for name in ("api", "worker"):
        service = compose["services"][name]
        outbox = service["environment"]["ECPSC_OUTBOX_DIR"]
        targets = {m.split(":")[1]: m.split(":")[0] for m in service["volumes"]}
        assert targets.get(outbox) in used, name
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert f"mkdir -p {outbox}" in dockerfile  # owned by the service user: the volume is writable


def test_no_administrator_token_is_written_in_the_file(compose: dict[str, Any]) -> None:
    """Given the file, when interpolated without ECPSC_ADMIN_TOKEN, then compose refuses
    (naming it); with one, every ecpsc service gets exactly that token and no other."""
    for service in ecpsc_services(compose).values():
        raw = service["environment"]["ECPSC_ADMIN_TOKEN"]
        match = VARIABLE.fullmatch(raw)
        assert match and match.group(1) == "ECPSC_ADMIN_TOKEN", raw
        assert match.group(2) in (None, ":?", "?"), f"a default token: {raw}"
    with pytest.raises(MissingVariable, match="ECPSC_ADMIN_TOKEN"):
        interpolated(compose, {})
    config = interpolated(compose, {"ECPSC_ADMIN_TOKEN": "from-the-environment"})
    for service in ecpsc_services(config).values():
        assert service["environment"]["ECPSC_ADMIN_TOKEN"] == "from-the-environment"
        assert service["environment"]["ECPSC_PUBLIC_URL"] == "http://127.0.0.1:8000"


def test_interpolation_follows_compose() -> None:
    """Given compose's forms, when interpolated, then each gives what compose documents."""
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("${SET}/${UNSET}/$${SET}", env) == "x//${SET}"
    assert interpolate("${EMPTY:-d} ${EMPTY-d} ${UNSET-d} ${SET:+a} ${EMPTY:+a}", env) == "d  d a "
    with pytest.raises(MissingVariable):
        interpolate("${EMPTY:?needed}", env)
    assert interpolate("${EMPTY?needed}", env) == ""


def test_the_image_copies_what_exists() -> None:
    """Given the Dockerfile, when its COPY sources are looked up, then each is in the repository."""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            *sources, _target = line.split()[1:]
            for source in sources:
                assert (ROOT / source).exists(), source
