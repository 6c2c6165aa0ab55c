"""The isolation matrix: staff of county A, in every role, can neither see nor change county B's records through
any page, API endpoint or CLI verb.

The foundation's pages, endpoints and verbs are classified in `FOUNDATION` below; every domain app adds its own in
`zhengwu/<app>/tests/isolation.py` (see zhengwu/core/tests/isolation.py). A URL or verb no spec classifies fails
`test_every_url_is_classified` / `test_every_cli_verb_is_classified`, so each new page extends the matrix.
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any

import click
import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhengwu.cli.common import run
from zhengwu.cli.main import build
from zhengwu.core.models import AuditEvent
from zhengwu.core.tests.isolation import B_MARK, IsolationSpec, World
from zhengwu.core.tests.test_ledger import GOOD, KIND
from zhengwu.orgs.models import Role, Staff
from zhengwu.orgs.tests.factories import make_county, make_staff

pytestmark = pytest.mark.django_db

LEDGER_FILE = Path(tempfile.gettempdir()) / "zhengwu-isolation-ledger.csv"


def _ledger_file(w: World) -> str:
    LEDGER_FILE.write_text(GOOD, encoding="utf-8")
    return str(LEDGER_FILE)


def _seed_foundation(w: World) -> None:
    w.objects["b_event_id"] = AuditEvent.objects.filter(org=w.b["dept"]).latest("id").id


FOUNDATION = IsolationSpec(
    seed=_seed_foundation,
    public={
        "set_language",
        "portal:home",
        "staff:login",
        "staff:logout",
        "v1:auth-token",
        "schema",
        "api-docs",
        "api-redoc",
    },
    lists={
        "staff:home": lambda w: {},
        "staff:org_tree": lambda w: {},
        "staff:people": lambda w: {},
        "staff:audit": lambda w: {},
        "v1:me": lambda w: {},
        "v1:org-list": lambda w: {},
        "v1:staff-list": lambda w: {},
        "v1:audit-event-list": lambda w: {},
    },
    records={
        "staff:org_detail": lambda w: {"code": w.b["dept"].code},
        "staff:org_children": lambda w: {"code": w.b["gov"].code},
        "v1:org-detail": lambda w: {"code": w.b["dept"].code},
        "v1:org-children": lambda w: {"code": w.b["gov"].code},
        "v1:staff-detail": lambda w: {"username": w.b_staff.username},
        "v1:audit-event-detail": lambda w: {"pk": w.objects["b_event_id"]},
    },
    operator_only={"v1:audit-verify": lambda w: {}},
    writes=[
        (
            "v1:org-list",
            lambda w: {},
            "post",
            lambda w: {"code": "intruder", "name": "越权局", "kind": "department", "parent": w.b["gov"].code},
        ),
    ],
    cli_writes={
        "org add": lambda w: [
            "--code",
            "intruder",
            "--name",
            "越权局",
            "--kind",
            "department",
            "--parent",
            w.b["gov"].code,
        ],
        "import": lambda w: [KIND.name, _ledger_file(w), "--org", w.b["gov"].code],
        "export": lambda w: [KIND.name, "--org", w.b["gov"].code],
    },
    cli_reads={"org list": lambda w: [], "ledgers": lambda w: []},
    cli_operator_only={
        "audit verify": lambda w: [],
        "init": lambda w: [],
        "demo": lambda w: ["--no-serve"],
        "serve": lambda w: ["--port", "1"],
        "worker": lambda w: [],
    },
    app_labels={"core", "orgs", "authtoken"},
)


def _specs() -> list[IsolationSpec]:
    specs = [FOUNDATION]
    for config in apps.get_app_configs():
        if not config.name.startswith("zhengwu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.isolation")
        except ModuleNotFoundError as exc:
            if exc.name not in {f"{config.name}.tests", f"{config.name}.tests.isolation"}:
                raise
            continue
        if hasattr(module, "SPEC"):  # zhengwu.core.tests.isolation defines the shape, not a spec
            specs.append(module.SPEC)
    return specs


SPECS = _specs()


def _merged(attr: str) -> Any:
    values = [getattr(s, attr) for s in SPECS]
    if isinstance(values[0], set):
        return set().union(*values)
    if isinstance(values[0], dict):
        return {k: v for d in values for k, v in d.items()}
    return [item for lst in values for item in lst]


@pytest.fixture
def world(db: None) -> World:
    a, b = make_county("甲县"), make_county(B_MARK)
    a_staff = {role: make_staff(org=a["gov"], role=role, username=f"a_{role.value}") for role in Role}
    b_staff = make_staff(org=b["gov"], role=Role.ADMIN, username="b_admin")
    Staff.objects.filter(pk=b_staff.pk).update(full_name=f"{B_MARK}管理员", phone="13912345678")
    w = World(a, b, a_staff, b_staff)
    for spec in SPECS:
        if spec.seed is not None:
            spec.seed(w)
    return w


def _url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue  # the Django admin: platform operators only, checked below
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_is_classified():
    classified = (
        _merged("public")
        | set(_merged("lists"))
        | set(_merged("records"))
        | set(_merged("operator_only"))
        | {w[0] for w in _merged("writes")}
        | {w[0] for w in _merged("form_writes")}
    )
    missing = _url_names() - classified
    assert not missing, f"classify these in an isolation spec: {sorted(missing)}"


def _client(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _assert_shows_nothing_of_b(response: Any, w: World, where: str) -> None:
    body = response.content.decode("utf-8", "replace")
    assert B_MARK not in body, where
    for org in w.b.values():
        assert f'"{org.code}"' not in body and f">{org.code}<" not in body, where
    assert w.b_staff.username not in body, where


def _snapshot() -> dict[str, int]:
    """Row counts of every table of ours: a refused write leaves all of them as they were."""
    labels = _merged("app_labels") | {c.label for c in apps.get_app_configs() if c.name.startswith("zhengwu.")}
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in labels}


@pytest.mark.parametrize("role", list(Role))
def test_lists_show_nothing_of_the_other_county(world, role):
    client = _client(world.a_staff[role])
    for name, kwargs in _merged("lists").items():
        response = client.get(reverse(name, kwargs=kwargs(world)))
        assert response.status_code in (200, 403), (name, response.status_code)
        _assert_shows_nothing_of_b(response, world, name)


@pytest.mark.parametrize("role", list(Role))
def test_records_of_the_other_county_are_not_found(world, role):
    client = _client(world.a_staff[role])
    for name, kwargs in _merged("records").items():
        response = client.get(reverse(name, kwargs=kwargs(world)))
        assert response.status_code in (403, 404), (name, response.status_code)
        _assert_shows_nothing_of_b(response, world, name)


@pytest.mark.parametrize("role", list(Role))
def test_operator_only_endpoints_refuse_county_staff(world, role):
    client = _client(world.a_staff[role])
    for name, kwargs in _merged("operator_only").items():
        url = reverse(name, kwargs=kwargs(world))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (name, method, response.status_code)


@pytest.mark.parametrize("role", list(Role))
def test_writes_into_the_other_county_fail_and_change_nothing(world, role):
    client = _client(world.a_staff[role])
    for name, kwargs, method, body in _merged("writes"):
        before = _snapshot()
        response = getattr(client, method)(
            reverse(name, kwargs=kwargs(world)), data=body(world), content_type="application/json"
        )
        assert 400 <= response.status_code < 500, (name, method, response.status_code)
        assert _snapshot() == before, name
    for name, kwargs, data in _merged("form_writes"):
        before = _snapshot()
        response = client.post(reverse(name, kwargs=kwargs(world)), data=data(world))
        assert response.status_code in (400, 403, 404, 405, 409), (name, response.status_code)
        assert _snapshot() == before, name


def test_the_django_admin_is_closed_to_county_staff(world):
    for staff in world.a_staff.values():
        response = _client(staff).get("/admin/orgs/org/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def _cli_verbs() -> set[str]:
    verbs: set[str] = set()

    def walk(cmd: click.Command, prefix: str) -> None:
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, f"{prefix} {name}".strip())
        else:
            verbs.add(prefix)

    walk(build(), "")
    return verbs


def test_every_cli_verb_is_classified():
    classified = set(_merged("cli_writes")) | set(_merged("cli_reads")) | set(_merged("cli_operator_only"))
    missing = _cli_verbs() - classified
    assert not missing, f"classify these CLI verbs in an isolation spec: {sorted(missing)}"


@pytest.mark.parametrize("role", list(Role))
def test_cli_as_county_a_staff_cannot_reach_county_b(world, role, capsys):
    username = world.a_staff[role].username
    for verb, args in _merged("cli_writes").items():
        before = _snapshot()
        status = run(build(), ["--as", username, *verb.split(), *args(world)])
        _, err = capsys.readouterr()
        assert status == 2, (verb, status, err)
        assert _snapshot() == before, verb
    for verb, args in _merged("cli_reads").items():
        status = run(build(), ["--as", username, *verb.split(), *args(world)])
        out, err = capsys.readouterr()
        assert status == 0, (verb, err)
        assert B_MARK not in out and world.b["gov"].code not in out, verb
    for verb, args in _merged("cli_operator_only").items():
        before = _snapshot()
        status = run(build(), ["--as", username, *verb.split(), *args(world)])
        _, err = capsys.readouterr()
        assert status == 2, (verb, status, err)
        assert "平台管理员" in err, verb
        assert _snapshot() == before, verb
