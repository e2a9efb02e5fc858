"""`ecpsc demo-data`: a store filled with plausible organizations, every record written by the
BackOffice's own commands.

Each organization is taken from its application to a granted certificate (review, contract, an
audit planned for a team of registered auditors, findings from the indicator catalogue, a decision
by someone off the team), then lives its certificate: surveillances (some failed and followed up),
suspensions and reinstatements, withdrawals, recertification, complaints and appeals, and at the
end the deadline jobs record what the rules owe as of today (expiries, overdue surveillance).
A few more organizations are refused on a failed initial audit or are still on their way.

Only the persistence is different: `BatchedBackOffice` holds the aggregates the commands save and
writes many organizations' events in one transaction, which is what makes 100,000 certificates a
matter of minutes. The run is deterministic in its data for a seed (ids and tokens are random).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent, Repository
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import Recording
from eventsourcing.utils import EnvType, get_topic

from domain.application import CertificationApplication
from domain.audit import Audit
from domain.backoffice import BackOffice
from domain.certificate import (
    GRADE_RANK,
    MAXIMUM_SUSPENSION_MONTHS,
    Certificate,
    CertificateNumbering,
)
from domain.people import Actor, User
from domain.rulebook import audit_time
from domain.rulebook.catalogue import INDICATORS, INDICATORS_BY_ID, LAYERS, Indicator
from domain.rulebook.dates import deadline
from domain.rulebook.scoring import DEDUCTION_CATEGORIES
from domain.sweeps import due_change
from domain.uscc import USCC_ALPHABET, check_character
from ecpsc.demo_names import (
    BUILDINGS,
    DISTRICTS,
    GIVEN_NAMES,
    INDUSTRIES,
    STREETS,
    SURNAMES,
    TRADE_CHARACTERS,
    District,
    Industry,
)
from ecpsc.documents import (
    DirectoryDocumentStore,
    DocumentStore,
    PostgresDocumentStore,
    sha256_of,
)
from ecpsc.settings import Settings
from ecpsc.store import eventsourcing_env, protect_event_log, schema_lock, today_function
from projections.registry import PROJECTIONS
from projections.runner import ReadModels

BATCH_ORGANIZATIONS = 50
"""Organizations whose events are written in one transaction."""
PROGRESS_EVERY = 1000
CATCH_UP_TIMEOUT_SECONDS = 3600.0

LAYER_IDS = list(LAYERS)
PROJECTOR_GROUPS: tuple[tuple[str, ...], ...] = (
    ("organization_index", "applications", "staff"),
    ("retention", "audit_worklist"),
)
"""On PostgreSQL, the read models of each projector process that follows the writing (the rest
go to one more): in processes of their own they use both cores, where ten runners in one
interpreter would share one. Balanced by their rebuild times over 20,000 certificates."""
PROCESSES_FROM = 5_000
ANALYZE_FROM = 50_000
"""Events written before PostgreSQL's statistics are first refreshed, then each time the log
has doubled: a bulk load outruns autovacuum (or runs where it is off), and a log without
statistics reads each record by a parallel scan instead of its index."""
"""Below this many certificates the read models follow in the writing process: starting three
processes (and their ~40 connections) costs more than it saves."""
PROJECTOR_STOP_SECONDS = 30.0
KEPT_TYPES = (User, CertificateNumbering)
"""Aggregates kept in memory across batches: the staff (read by every plan) and the numbering."""


class StoreNotEmpty(Exception):
    """The store already holds organizations; demonstration data goes into an empty one."""


# -- the back office with held saves --------------------------------------------------------------


class _HeldRepository(Repository[UUID]):
    """Loads an aggregate held by the batch (unsaved) before asking the store; an id never
    written is known to be absent without a query."""

    def __init__(self, office: BatchedBackOffice, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._office = office

    def get(self, aggregate_id: UUID, *, version: int | None = None, **kwargs: Any) -> Any:
        """The held aggregate itself (commands mutate and save it), else the stored one."""
        if version is not None:
            return super().get(aggregate_id, version=version, **kwargs)
        held = self._office.held.get(aggregate_id)
        if held is not None:
            return held
        if aggregate_id not in self._office.known_ids:
            raise AggregateNotFoundError(aggregate_id)
        aggregate = super().get(aggregate_id, **kwargs)
        if isinstance(aggregate, KEPT_TYPES):
            self._office.held[aggregate_id] = aggregate
        return aggregate


class BatchedBackOffice(BackOffice):
    """The BackOffice whose saves are held and written together by `flush`.

    Commands run unchanged and see what earlier commands of the batch saved. It assumes it is
    the only writer while it runs (the store's ids are read once, at the start).
    """

    name = BackOffice.name  # the library would name the store's tables after the subclass

    def __init__(self, env: EnvType | None = None, today: Callable[[], date] | None = None):
        self.held: dict[UUID, Aggregate] = {}
        self.known_ids: set[UUID] = set()
        self.documents: BatchedDocuments | None = None
        """Documents the held events name: made durable before the events are written."""
        self._pending: ProcessingEvent[UUID] = ProcessingEvent()
        self.events_written = 0
        super().__init__(env=env, today=today)
        self._read_known_ids()

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository, looking in the batch first."""
        plain = super().construct_repository()
        return _HeldRepository(
            self, event_store=plain.event_store, snapshot_store=plain.snapshot_store
        )

    def _read_known_ids(self) -> None:
        start: int | None = None
        while notifications := self.recorder.select_notifications(start, 1000):
            self.known_ids.update(UUID(str(n.originator_id)) for n in notifications)
            start = notifications[-1].id + 1

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """Hold the aggregates' new events until the next flush."""
        pending = self._pending
        for obj in objs:
            # Aggregates only (what the commands save); the library's collect_events would ask
            # runtime-checkable protocols, which costs more than the rest of a save.
            if isinstance(obj, Aggregate):
                self.held[obj.id] = obj
                self.known_ids.add(obj.id)
                pending.events.extend(obj.collect_events())
                pending.aggregates[obj.id] = obj
            elif obj is not None:
                pending.collect_events(obj)
        pending.saved_kwargs.update(kwargs)
        return []

    def flush(self) -> int:
        """Write the documents the held events name, then every held event in one
        transaction; the number of events written."""
        if self.documents is not None:
            self.documents.commit()
        pending, self._pending = self._pending, ProcessingEvent()
        if pending.events:
            recordings = self._record(pending)
            self._take_snapshots(pending)
            self._notify(recordings)
            self.events_written += len(pending.events)
        self.held = {k: v for k, v in self.held.items() if isinstance(v, KEPT_TYPES)}
        return len(pending.events)


def open_batched_backoffice(settings: Settings) -> BatchedBackOffice:
    """The batched back office on the configured store, its event log protected."""
    env = eventsourcing_env(settings)
    with schema_lock(env):
        backoffice = BatchedBackOffice(env=env, today=today_function(settings))
        try:
            protect_event_log(backoffice)
        except BaseException:
            backoffice.close()
            raise
    return backoffice


class BatchedDocuments(Protocol):
    """A document store whose puts are made durable in batches, before the events naming them."""

    def commit(self) -> None:
        """Make the documents put so far durable."""


class BatchedDirectoryDocumentStore(DirectoryDocumentStore):
    """The embedded document store writing files without a sync each; `commit` syncs them all
    at once, before the events naming them are written."""

    def put(self, content: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        digest = sha256_of(content)
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            incoming = path.with_name(f".incoming-{digest}")
            incoming.write_bytes(content)
            os.replace(incoming, path)
        return digest

    def commit(self) -> None:
        """Make the documents put so far durable."""
        os.sync()


class _KeptConnection:
    """One PostgreSQL connection for every document of a batch, committed with the batch."""

    def __init__(self, conninfo: dict[str, str]) -> None:
        self.conn = psycopg.connect(**conninfo)  # type: ignore[arg-type]

    def __enter__(self) -> psycopg.Connection[Any]:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        return None


class BatchedPostgresDocumentStore(PostgresDocumentStore):
    """The PostgreSQL document store on one connection, its documents held until `commit`
    writes them in one statement: a connection, or a round trip, per document would cost more
    than the rest of an organization."""

    def __init__(self, conninfo: dict[str, str]) -> None:
        self._kept = _KeptConnection(conninfo)
        self._held: dict[str, bytes] = {}
        super().__init__(conninfo)
        self.commit()

    def _connect(self) -> Any:
        return self._kept

    def put(self, content: bytes) -> str:
        """Hold the bytes until the next commit and return their SHA-256."""
        digest = sha256_of(content)
        self._held[digest] = content
        return digest

    def commit(self) -> None:
        """Write the documents held, in one statement, and make them durable."""
        held, self._held = self._held, {}
        with self._kept.conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO ecpsc_documents (sha256, content) VALUES (%s, %s)"
                " ON CONFLICT (sha256) DO NOTHING",
                list(held.items()),
            )
        self._kept.conn.commit()

    def close(self) -> None:
        """Close the connection."""
        self._kept.conn.close()


# -- who and what ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    """A registered user and their token (and, when asked, their web sign-in)."""

    role: str
    name: str
    id: str
    token: str
    actor: Actor
    sign_in_name: str = ""
    password: str = ""


STAFF: tuple[tuple[str, str, str], ...] = (
    ("admin", "郑华", "zhenghua"),
    ("intake", "王敏", "wangmin"),
    ("planner", "李强", "liqiang"),
    ("auditor", "刘洋", "liuyang"),
    ("auditor", "陈刚", "chengang"),
    ("auditor", "杨帆", "yangfan"),
    ("auditor", "黄磊", "huanglei"),
    ("auditor", "周杰", "zhoujie"),
    ("auditor", "吴芳", "wufang"),
    ("auditor", "徐涛", "xutao"),
    ("auditor", "孙丽", "sunli"),
    ("decision_maker", "张伟", "zhangwei"),
    ("appeals_officer", "赵丽", "zhaoli"),
    ("compliance_officer", "陈静", "chenjing"),
)
"""One user per role (several auditors), by role, name and e-mail name."""


@dataclass
class Organization:
    """An applicant and what will happen to it."""

    name: str
    uscc: str
    address: str
    district: District
    industry: Industry
    scope: str
    headcount: int
    contact: dict[str, str]
    sites: list[dict[str, str]]
    kind: str
    """certified, refused or in_progress."""
    day: date
    """Certified or refused: the decision day; in progress: the day the application came in."""
    fates: set[str] = field(default_factory=set)


@dataclass
class Report:
    """What a run wrote."""

    organizations: int = 0
    certificates: int = 0
    events: int = 0
    seconds: float = 0.0
    write_seconds: float = 0.0
    staff: list[StaffMember] = field(default_factory=list)


def _base31(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[digit])
    return "".join(reversed(digits))


def demo_uscc(division: str, serial: int) -> str:
    """A valid unified social credit code of an enterprise (91) registered in a division."""
    first17 = "91" + division + "MA" + _base31(serial, 7)
    return first17 + check_character(first17)


def _person(rng: random.Random) -> tuple[str, str]:
    surname, surname_py = rng.choice(SURNAMES)
    given, given_py = rng.choice(GIVEN_NAMES)
    return surname + given, given_py + "." + surname_py


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "158", "186", "189", "135", "177")) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


def _street_address(rng: random.Random, district: District) -> str:
    return f"{district.prefix}{rng.choice(STREETS)}{rng.randint(1, 999)}号{rng.choice(BUILDINGS)}"


# Tries of a two-character trade name before a three-character one: one city and industry
# have only 60 × 59 two-character names, which a run of a million certificates exhausts.
TWO_CHARACTER_TRIES = 8


def draw_company_name(rng: random.Random, city: str, word: str, taken: set[str]) -> tuple[str, str]:
    """A company name not yet `taken` (then taken), and its trade name in pinyin."""
    tries = 0
    while True:
        length = 2 if tries < TWO_CHARACTER_TRIES else 3
        tries += 1
        picked = rng.sample(TRADE_CHARACTERS, length)
        name = f"{city}{''.join(c for c, _ in picked)}{word}有限公司"
        if name not in taken:
            taken.add(name)
            return name, "".join(py for _, py in picked)


def draw_organizations(rng: random.Random, certificates: int, today: date) -> list[Organization]:
    """Everyone the run will write, with their fates; certified ones in order of issue."""
    refused = max(1, certificates * 3 // 100)
    in_progress = max(2, certificates * 6 // 100)
    salt = rng.randrange(31**7)
    names: set[str] = set()
    organizations = []
    for index in range(certificates + refused + in_progress):
        district = rng.choice(DISTRICTS)
        industry = rng.choice(INDUSTRIES)
        name, trade_py = draw_company_name(
            rng, district.city.removesuffix("市"), industry.word, names
        )
        person, email_name = _person(rng)
        site_count = rng.choice((0, 0, 0, 0, 0, 1, 2, 3, 4, 6, 9, 12, 16))
        sites = []
        for number in range(1, site_count + 1):
            where = rng.choice([d for d in DISTRICTS if d.province == district.province])
            sites.append(
                {
                    "name": f"{where.city.removesuffix('市')}{where.name}{industry.site_word}"
                    f"{number}",
                    "address": _street_address(rng, where),
                }
            )
        headcount = int(min(9000, max(5, rng.lognormvariate(4.6, 1.0))))
        if index < certificates:
            kind, day = "certified", today - timedelta(days=rng.randint(3, 1180))
        elif index < certificates + refused:
            kind, day = "refused", today - timedelta(days=rng.randint(10, 1000))
        else:
            kind, day = "in_progress", today - timedelta(days=rng.randint(0, 45))
        organizations.append(
            Organization(
                name=name,
                uscc=demo_uscc(district.code, (index * 7_368_787 + salt) % 31**7),
                address=_street_address(rng, district),
                district=district,
                industry=industry,
                scope=rng.choice(industry.scopes),
                headcount=headcount,
                contact={
                    "name": person,
                    "phone": _phone(rng),
                    "email": f"{email_name}@{trade_py}-{industry.pinyin}.com.cn",
                },
                sites=sites,
                kind=kind,
                day=day,
                fates=_fates(rng, kind),
            )
        )
    order = {"certified": 0, "refused": 1, "in_progress": 2}
    organizations.sort(key=lambda o: (order[o.kind], o.day))
    return organizations


def _fates(rng: random.Random, kind: str) -> set[str]:
    """What beyond the ordinary will happen to an organization."""
    chances = {
        "certified": {
            "supplement": 0.06,
            "special_deduction": 0.05,
            "bonus": 0.05,
            "exclusion": 0.10,
            "surveillance_failed": 0.08,
            "overdue": 0.015,
            "suspended": 0.06,
            "withdrawn": 0.02,
            "recertify": 0.55,
            "complaint": 0.04,
        },
        "refused": {"appeal": 0.4, "supplement": 0.1},
        "in_progress": {"supplement": 0.15},
    }[kind]
    return {fate for fate, chance in chances.items() if rng.random() < chance}


# -- the stories ----------------------------------------------------------------------------------

FINDING_DETAILS = (
    "未能提供相关记录",
    "相关制度文件未覆盖该要求",
    "抽查人员对相关规定不清楚",
    "现场情况与文件规定不一致",
    "记录填写不完整，无法追溯",
)
SMALL_INDICATORS = [i for i in INDICATORS if i.points <= 7]
FAILING_INDICATORS = ("4.3.3.1", "4.3.2.4", "4.3.3.2", "4.3.1.5")
"""Nonconformities on these take 42 of 100 points: a failed audit."""
EXCLUDABLE = {
    "4.3.2.6": "组织不经营需回收的商品，不涉及废弃商品回收 / no goods to take back",
    "4.3.2.3": "商品由顾客自提，组织不提供配送 / customers collect; no delivery",
}
SUSPENSION_REASONS = (
    "requested_by_organization",
    "licence_lapsed",
    "contract_obligations_unmet",
    "service_system_failing",
)
WITHDRAWAL_REASONS = (
    "legal_status_cancelled",
    "refused_inspection_or_false_information",
    "major_accident",
    "other_serious_violation",
    "serious_dishonesty_list",
)
COMPLAINTS = (
    "顾客投诉：报修后超过承诺时限仍未上门服务。",
    "顾客投诉：维修后同一故障再次出现，组织拒绝免费返修。",
    "顾客投诉：服务热线长期无人接听，投诉无人处理。",
    "顾客投诉：门店宣传的“五星级服务”与实际不符。",
)


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


class DemoWriter:
    """Writes the organizations' stories through the back office's commands."""

    def __init__(
        self,
        backoffice: BatchedBackOffice,
        documents: DocumentStore,
        staff: dict[str, list[StaffMember]],
        seed: int,
    ) -> None:
        self.bo = backoffice
        self.documents = documents
        self.today = backoffice.today()
        self.seed = seed
        self.intake = staff["intake"][0].actor
        self.planner = staff["planner"][0].actor
        self.auditors = [m.actor for m in staff["auditor"]]
        self.decider = staff["decision_maker"][0].actor
        self.appeals = staff["appeals_officer"][0].actor
        self.compliance = staff["compliance_officer"][0].actor
        self.contracts = 0
        self.sweep_candidates: list[str] = []
        self.rng = random.Random(seed)
        self.last = self.today

    # -- an organization ------------------------------------------------------------------------

    def write(self, index: int, org: Organization) -> None:
        """Everything that happens to one organization, each step on its business date."""
        self.rng = random.Random(f"{self.seed}/{index}")
        if org.kind == "certified":
            number = self._certify(org)
            self._live(org, number)
        elif org.kind == "refused":
            self._refuse(org)
        else:
            self._on_the_way(org)

    def _documents(self, org: Organization, label: str) -> list[dict[str, str]]:
        kinds = ["application_form", "legal_status"] + (["multi_site_list"] if org.sites else [])
        titles = {
            "application_form": "认证申请书",
            "legal_status": "营业执照",
            "multi_site_list": "多场所清单",
        }
        refs = []
        for kind in kinds:
            content = f"%PDF-1.4\n% {titles[kind]} {org.name} {org.uscc} {label}\n%%EOF\n".encode()
            sha256 = self.documents.put(content)
            filename = f"{titles[kind]}-{org.uscc}.pdf"
            self.bo.register_document(
                sha256, len(content), "application/pdf", filename, self.intake
            )
            refs.append({"kind": kind, "filename": filename, "sha256": sha256})
        return refs

    def _apply(
        self, org: Organization, received_on: date, certificate_number: str | None = None
    ) -> CertificationApplication:
        label = "再认证" if certificate_number else "初次认证"
        return self.bo.submit_application(
            organization={
                "name": org.name,
                "uscc": org.uscc,
                "address": org.address,
                "industry": org.industry.code,
                "contact": dict(org.contact),
            },
            scope=org.scope,
            effective_headcount=org.headcount,
            sites=[dict(s) for s in org.sites],
            documents=self._documents(org, f"{label} {received_on.isoformat()}"),
            received_on=received_on,
            by=self.intake,
            certificate_number=certificate_number,
        )

    def _accept(self, org: Organization, app: CertificationApplication, day: date) -> date:
        """Review (after a supplement where fated) and accept; the day of acceptance."""
        if "supplement" in org.fates and app.certificate_number is None:
            self.bo.review_application(
                app.id,
                "supplement_requested",
                ["营业执照复印件不清晰，需重新提供"],
                ["legal_status"],
                day,
                self.intake,
            )
            day += _days(self.rng, 3, 12)
            refs = self._documents(org, f"补充材料 {day.isoformat()}")
            self.bo.receive_supplement(app.id, [refs[1]], day, self.intake)
            day += _days(self.rng, 1, 3)
        self.bo.review_application(app.id, "accepted", [], [], day, self.intake)
        return day

    def _contract(self, app: CertificationApplication, day: date) -> None:
        self.contracts += 1
        number = f"ECPSC-HT-{day.year}-{self.contracts:06d}"
        self.bo.sign_contract(app.id, number, day, self.intake)

    def _team(self, required: Fraction) -> tuple[list[dict[str, Any]], int]:
        """A leader and auditors sharing the required days in half days; the days on site."""
        halves = int(required * 2)
        size = min(halves, 1 if required <= 2 else self.rng.choice((2, 2, 3)))
        members = self.rng.sample(self.auditors, size)
        shares = [halves // size + (1 if i < halves % size else 0) for i in range(size)]
        team = [
            {
                "user_id": member.id,
                "role": "leader" if i == 0 else "auditor",
                "days": str(Decimal(share) / 2),
            }
            for i, (member, share) in enumerate(zip(members, shares, strict=True))
        ]
        return team, max(1, -(-max(shares) // 2))

    def _audit(
        self,
        org: Organization,
        audit_type: str,
        start_on: date,
        *,
        application_id: UUID | None = None,
        certificate_number: str | None = None,
    ) -> tuple[Audit, Actor, date]:
        """Plan an audit starting on a day; the audit, its leader and its last day."""
        required = (
            Fraction(1)
            if audit_type == "supplementary"
            else audit_time.required_days(org.headcount, audit_type)
        )
        team, on_site = self._team(required)
        end_on = start_on + timedelta(days=on_site - 1)
        audit = self.bo.plan_audit(
            audit_type=audit_type,
            start_on=start_on,
            end_on=end_on,
            team=team,
            onsite_days=Decimal(str(float(required))),
            sites=[],
            layers=LAYER_IDS,
            justification=f"按有效人数{org.headcount}人及{len(org.sites)}个服务场所安排审查时间",
            by=self.planner,
            application_id=application_id,
            certificate_number=certificate_number,
        )
        leader = next(a for a in self.auditors if a.id == team[0]["user_id"])
        return audit, leader, end_on

    def _team_actors(self, audit: Audit) -> list[Actor]:
        ids = audit.team_user_ids
        return [a for a in self.auditors if a.id in ids]

    def _finding(self, audit: Audit, indicator: Indicator, sampled: bool) -> None:
        clause = self.rng.choice(indicator.clauses)
        by = self.rng.choice(self._team_actors(audit))
        if sampled:
            total = self.rng.randint(5, 20)
            bad = self.rng.randint(1, 2)
            evidence = f"抽查{total}份相关记录，{bad}份不符合：{clause.zh}"
            self.bo.record_finding(
                audit.id, indicator.id, clause.id, "sampled", total, bad, evidence, by
            )
        else:
            evidence = f"不符合“{clause.zh.rstrip('。')}”：{self.rng.choice(FINDING_DETAILS)}"
            self.bo.record_finding(
                audit.id, indicator.id, clause.id, "nonconformity", None, None, evidence, by
            )

    def _examine(
        self,
        org: Organization,
        audit: Audit,
        leader: Actor,
        end_on: date,
        *,
        passing: bool,
        decided_on: date | None = None,
    ) -> None:
        """Findings (a passing mix, or a failing one), adjustments, and completion."""
        excluded: set[str] = set()
        if passing and "exclusion" in org.fates and audit.audit_type == "initial":
            indicator_id, reason = self.rng.choice(sorted(EXCLUDABLE.items()))
            self.bo.exclude_indicator(audit.id, indicator_id, reason, leader)
            excluded.add(indicator_id)
        if passing:
            candidates = [i for i in SMALL_INDICATORS if i.id not in excluded]
            for indicator in self.rng.sample(candidates, self.rng.choice((0, 1, 1, 2))):
                self._finding(audit, indicator, sampled=False)
            usable = [i for i in INDICATORS if i.id not in excluded]
            for indicator in self.rng.sample(usable, self.rng.choice((0, 1, 2))):
                self._finding(audit, indicator, sampled=True)
        else:
            for indicator_id in FAILING_INDICATORS:
                self._finding(audit, INDICATORS_BY_ID[indicator_id], sampled=False)
        if passing and "special_deduction" in org.fates and audit.audit_type == "initial":
            category = self.rng.choice(sorted(DEDUCTION_CATEGORIES))
            _, action = self.bo.record_special_deduction(
                audit.id, category, "服务承诺公示内容与实际执行不一致", leader
            )
            self.bo.close_corrective_action(
                action.id, decided_on or end_on, "组织已修订服务承诺并重新公示，经验证有效", leader
            )
        if passing and "bonus" in org.fates and audit.audit_type == "initial":
            self.bo.record_special_bonus(audit.id, "获得省级服务质量奖", leader)
        self.bo.complete_audit(audit.id, end_on, audit.onsite_days, leader)

    def _certify(self, org: Organization) -> str:
        """Application to certificate, granted on org.day; the certificate's number."""
        issued_on = org.day
        end_on = issued_on - _days(self.rng, 2, 12)
        start_on = end_on - timedelta(days=2)
        contract_on = start_on - _days(self.rng, 7, 30)
        received_on = contract_on - _days(self.rng, 12 if "supplement" in org.fates else 2, 20)
        app = self._apply(org, received_on)
        accepted_on = self._accept(org, app, received_on + _days(self.rng, 1, 3))
        self._contract(app, max(accepted_on, contract_on))
        audit, leader, last_day = self._audit(
            org, "initial", max(accepted_on, start_on), application_id=app.id
        )
        self._examine(org, audit, leader, last_day, passing=True, decided_on=issued_on)
        score = self.bo.get_audit(audit.id).completion["score"]  # type: ignore[index]
        _, certificate = self.bo.decide(
            audit.id,
            "grant",
            [f"初次认证审查通过，得分{score['score']}分，推荐认证"],
            max(issued_on, last_day),
            self.decider,
        )
        assert certificate is not None
        self.last = certificate.issued_on
        return certificate.number

    def _refuse(self, org: Organization) -> None:
        decided_on = org.day
        end_on = decided_on - _days(self.rng, 3, 15)
        contract_on = end_on - _days(self.rng, 10, 30)
        app = self._apply(org, contract_on - _days(self.rng, 12, 25))
        accepted_on = self._accept(org, app, app.received_on + _days(self.rng, 1, 3))
        self._contract(app, max(accepted_on, contract_on))
        audit, leader, last_day = self._audit(
            org, "initial", max(accepted_on, end_on - timedelta(days=2)), application_id=app.id
        )
        self._examine(org, audit, leader, last_day, passing=False)
        decision, _ = self.bo.decide(
            audit.id,
            "refuse",
            ["初次认证审查得分低于70分（ZPIC-WF-20 4.4.3.2），不予认证"],
            max(decided_on, last_day),
            self.decider,
        )
        if "appeal" in org.fates:
            self._case(
                "appeal",
                {"decision_id": decision.id},
                org,
                decision.decided_on + _days(self.rng, 5, 40),
                "组织对不予认证的决定提出申诉，认为审查组对顾客关系指标的判定过严。",
                outcome="rejected",
            )

    def _on_the_way(self, org: Organization) -> None:
        """An application received recently, stopped at some step before a decision."""
        stage = self.rng.choice(
            (
                "submitted",
                "submitted",
                "rejected",
                "accepted",
                "contracted",
                "planned",
                "planned",
                "completed",
            )
        )
        day = org.day
        app = self._apply(org, day)
        if stage == "submitted":
            if "supplement" in org.fates and day < self.today:
                self.bo.review_application(
                    app.id,
                    "supplement_requested",
                    ["缺少多场所清单及服务网点分布说明"],
                    ["multi_site_list"],
                    min(self.today, day + _days(self.rng, 1, 5)),
                    self.intake,
                )
            return
        day = min(self.today, day + _days(self.rng, 1, 4))
        if stage == "rejected":
            self.bo.review_application(
                app.id, "rejected", ["申请范围不属于商品售后服务评价认证范围"], [], day, self.intake
            )
            return
        self.bo.review_application(app.id, "accepted", [], [], day, self.intake)
        if stage == "accepted":
            return
        day = min(self.today, day + _days(self.rng, 1, 10))
        self._contract(app, day)
        if stage == "contracted":
            return
        start_on = day + _days(self.rng, 5, 30)
        if stage == "completed":
            start_on = min(start_on, self.today - timedelta(days=self.rng.randint(0, 5)))
            start_on = max(start_on, day)
        audit, leader, end_on = self._audit(org, "initial", start_on, application_id=app.id)
        if stage == "completed" and end_on <= self.today:
            self._examine(org, audit, leader, end_on, passing=True)

    # -- a certificate's life -------------------------------------------------------------------

    def _live(self, org: Organization, number: str) -> None:
        self._cycle(org, number)
        certificate = self.bo.get_certificate(number)
        recertifiable = "recertify" in org.fates and certificate.status == "valid"
        if recertifiable and self._recertify(org, number):
            self._cycle(org, number)
        certificate = self.bo.get_certificate(number)
        if "complaint" in org.fates and certificate.status in ("valid", "suspended"):
            received_on = self.today - _days(self.rng, 0, 120)
            if received_on > self.last:
                self._case(
                    "complaint",
                    {"certificate_number": number},
                    org,
                    received_on,
                    self.rng.choice(COMPLAINTS),
                    outcome=self.rng.choice(("rejected", "partly_upheld", "upheld")),
                )
        certificate = self.bo.get_certificate(number)
        if due_change(certificate, self.today) is not None:
            self.sweep_candidates.append(number)

    def _cycle(self, org: Organization, number: str) -> None:
        """Surveillances as they fall due, with what the fates add between them."""
        pending = {"suspended", "withdrawn"} & org.fates
        failing = "surveillance_failed" in org.fates
        while True:
            certificate = self.bo.get_certificate(number)
            if certificate.status != "valid":
                return
            due = certificate.next_surveillance_due
            for fate in sorted(pending):
                if self._interlude(org, certificate, fate, due):
                    pending.discard(fate)
                    org.fates.discard(fate)
                    break
            certificate = self.bo.get_certificate(number)
            if due is None or certificate.status != "valid":
                return
            day = min(due, max(due - _days(self.rng, 15, 80), self.last + timedelta(days=30)))
            if day > self.today:
                return
            if "overdue" in org.fates and due < self.today:
                return  # left to the deadline jobs (5.3)
            passing = not (failing and self.rng.random() < 0.5)
            if not passing:
                failing = False
                org.fates.discard("surveillance_failed")
            audit, leader, end_on = self._audit(org, "surveillance", day, certificate_number=number)
            if end_on > self.today:
                return
            self._examine(org, audit, leader, end_on, passing=passing)
            self.last = end_on
            if not passing:
                self._follow_up(org, number, audit)

    def _follow_up(self, org: Organization, number: str, audit: Audit) -> None:
        """5.6: the decision on a failed surveillance, and what comes of it."""
        decided_on = self.last + _days(self.rng, 3, 15)
        if decided_on > self.today:
            return  # awaiting the decision maker
        certificate = self.bo.get_certificate(number)
        follow_up = self.rng.choice(
            ("suspend", "suspend", "supplementary_audit", "downgrade", "withdraw")
        )
        lower = [g for g, rank in GRADE_RANK.items() if rank < GRADE_RANK[certificate.grade]]
        if follow_up == "downgrade" and not lower:
            follow_up = "suspend"
        self.bo.decide(
            audit.id,
            follow_up,
            ["监督审查未通过（ZPIC-WF-20 5.6）"],
            decided_on,
            self.decider,
            grade=self.rng.choice(lower) if follow_up == "downgrade" else None,
            withdrawal_reason="management_system_not_run" if follow_up == "withdraw" else None,
        )
        self.last = decided_on
        if follow_up == "suspend":
            self._maybe_reinstate(number, decided_on)
        elif follow_up == "supplementary_audit":
            start_on = decided_on + _days(self.rng, 10, 40)
            if start_on <= self.today:
                supplementary, leader, end_on = self._audit(
                    org, "supplementary", start_on, certificate_number=number
                )
                if end_on <= self.today:
                    self._examine(org, supplementary, leader, end_on, passing=True)
                    self.last = end_on

    def _maybe_reinstate(self, number: str, suspended_on: date) -> None:
        """Two suspensions in three are resolved in time; the rest end unresolved."""
        if self.rng.random() < 2 / 3 and self._changeable(number):
            until = self.bo.get_certificate(number).suspended_until
            assert until is not None
            day = min(suspended_on + _days(self.rng, 20, 80), until)
            if day <= self.today:
                self.bo.reinstate_certificate(number, day, day, self.decider)
                self.last = day

    def _changeable(self, number: str) -> bool:
        """Whether the certificate's status can still be changed by hand: not once its last day
        has passed as of today, whatever the business date (8.1.2)."""
        return self.bo.get_certificate(number).expires_on >= self.today

    def _interlude(
        self, org: Organization, certificate: Certificate, fate: str, due: date | None
    ) -> bool:
        """A suspension or withdrawal between surveillances, where one fits; whether it did."""
        if not self._changeable(certificate.number):
            return False
        day = self.last + _days(self.rng, 30, 200)
        clear_until = min(due or certificate.expires_on, certificate.expires_on)
        if day > self.today or day + timedelta(days=120) >= clear_until:
            return False
        number = certificate.number
        if fate == "suspended":
            reason = self.rng.choice(SUSPENSION_REASONS)
            effective_on = day + _days(self.rng, 0, 4)
            if effective_on > self.today:
                return False
            months = (
                3 if self.rng.random() < 0.8 else self.rng.randint(1, MAXIMUM_SUSPENSION_MONTHS)
            )
            self.bo.suspend_certificate(number, reason, day, effective_on, months, self.decider)
            self.last = effective_on
            self._maybe_reinstate(number, effective_on)
            return True
        reason = self.rng.choice(WITHDRAWAL_REASONS)
        if reason == "serious_dishonesty_list":
            self.bo.list_on_watchlist(
                org.uscc, "serious_illegal", "国家企业信用信息公示系统", day, self.compliance
            )
        effective_on = day + _days(self.rng, 0, 4)
        if effective_on > self.today:
            effective_on = day
        recovered = self.rng.random() < 0.4
        self.bo.withdraw_certificate(number, reason, day, effective_on, recovered, self.decider)
        self.last = effective_on
        return True

    def _recertify(self, org: Organization, number: str) -> bool:
        """6: an application in the window and a grant before expiry; whether it was granted."""
        certificate = self.bo.get_certificate(number)
        expires_on = certificate.expires_on
        received_on = max(
            self.last + timedelta(days=1),
            expires_on - _days(self.rng, 40, 85),
            deadline(expires_on, -3),
        )
        if received_on > self.today or received_on > expires_on:
            return False
        app = self._apply(org, received_on, certificate_number=number)
        day = received_on + _days(self.rng, 1, 4)
        if day > self.today:
            return False
        self._accept(org, app, day)
        day += _days(self.rng, 1, 6)
        if day > self.today:
            return False
        self._contract(app, day)
        start_on = day + _days(self.rng, 5, 15)
        if start_on > self.today:
            return False
        audit, leader, end_on = self._audit(org, "recertification", start_on, application_id=app.id)
        if end_on > self.today:
            return False
        self._examine(org, audit, leader, end_on, passing=True)
        decided_on = end_on + _days(self.rng, 2, 8)
        if decided_on > self.today or decided_on > expires_on:
            self.last = end_on
            return False
        self.bo.decide(
            audit.id, "grant", ["再认证审查通过，同意换发证书"], decided_on, self.decider
        )
        self.last = decided_on
        return True

    # -- appeals and complaints -----------------------------------------------------------------

    def _case(
        self,
        kind: str,
        subject: dict[str, Any],
        org: Organization,
        received_on: date,
        text: str,
        outcome: str,
    ) -> None:
        """An appeal or complaint taken as far as its age allows (closed after ~75 days)."""
        if received_on > self.today:
            return
        self.bo.flush()  # impartiality reads the subject's stored events (9.2)
        appellant = (
            {"name": org.name, "contact": org.contact["phone"]}
            if kind == "appeal"
            else {"name": _person(self.rng)[0], "contact": _phone(self.rng)}
        )
        appeal = self.bo.receive_appeal(kind, subject, appellant, received_on, text, self.appeals)
        age = (self.today - received_on).days
        stages = 6 if age > 75 else self.rng.randint(1, 5)
        day = received_on
        steps: list[tuple[int, Callable[[date], Any]]] = [
            (2, lambda d: self.bo.acknowledge_appeal(appeal.id, d, self.appeals)),
            (4, lambda d: self.bo.assign_appeal(appeal.id, [self.appeals.id], self.appeals, d)),
            (
                12,
                lambda d: self.bo.record_appeal_note(
                    appeal.id, "已调阅审查记录并与组织联系人核实情况", [], d, self.appeals
                ),
            ),
            (
                20,
                lambda d: self.bo.resolve_appeal(
                    appeal.id,
                    outcome,
                    d,
                    "经调查核实，现将处理结论函告如下。",
                    ["对相关服务网点人员开展专项培训"] if outcome != "rejected" else [],
                    self.appeals,
                ),
            ),
            (4, lambda d: self.bo.send_appeal_notice(appeal.id, d, self.appeals)),
        ]
        for gap, step in steps[: stages - 1]:
            day += _days(self.rng, 1, gap)
            if day > self.today:
                return
            step(day)
        if stages == 6 and self.rng.random() < 0.1:
            day += _days(self.rng, 5, 20)
            if day <= self.today:
                self.bo.escalate_appeal(
                    appeal.id,
                    "regulator",
                    day,
                    "申诉人不服处理结论，向认证监管部门反映",
                    self.appeals,
                )


# -- the run ---------------------------------------------------------------------------------------


def _ensure_no_organizations(backoffice: BackOffice) -> None:
    submitted = get_topic(CertificationApplication.Submitted)
    if backoffice.recorder.select_notifications(None, 1, topics=[submitted]):
        raise StoreNotEmpty(
            "the store already holds organizations; demo-data fills an empty store only "
            "(point ECPSC_DATABASE_URL at a new database)"
        )


def _register_staff(
    backoffice: BatchedBackOffice, today: date, sign_in: bool = False
) -> dict[str, list[StaffMember]]:
    admin = backoffice.bootstrap_admin()
    staff: dict[str, list[StaffMember]] = {}
    for serial, (role, name, email_name) in enumerate(STAFF, start=1):
        registration = None
        if role == "auditor":
            registration = {
                "number": f"CCAA-SC-{2017 + serial % 5}-{1_000_000 + serial * 7919:07d}",
                "valid_from": date(2018, 1, 1),
                "valid_until": date(today.year + 3, 12, 31),
            }
        user, token = backoffice.register_user(
            name, [role], registration, admin, email=f"{email_name}@ecpsc.example.cn"
        )
        actor = Actor(str(user.id), name, frozenset([role]))
        staff.setdefault(role, []).append(StaffMember(role, name, str(user.id), token, actor))
    backoffice.flush()
    if sign_in:
        # Sign-in names are the e-mail names; passwords are new each run, like the tokens.
        sign_in_names = {name: email_name for _, name, email_name in STAFF}
        for members in staff.values():
            for i, member in enumerate(members):
                sign_in_name, password = sign_in_names[member.name], secrets.token_urlsafe(9)
                backoffice.set_password(UUID(member.id), sign_in_name, password, admin)
                members[i] = replace(member, sign_in_name=sign_in_name, password=password)
        backoffice.flush()
    return staff


def fill(
    settings: Settings,
    certificates: int,
    seed: int = 1,
    progress: Callable[[str], None] = print,
    projector_processes: bool | None = None,
    read_models_followed: Collection[str] | None = None,
    sign_in: bool = False,
) -> Report:
    """Write `certificates` certified organizations (and their company) into an empty store,
    then wait for the read models to show them all; they follow in projector processes on
    PostgreSQL from PROCESSES_FROM certificates (or as `projector_processes` says).

    `read_models_followed` names the read models built during the run (default all); the others
    catch up from the log when a projector or `ecpsc serve` next runs. With `sign_in`, each
    staff member also gets a sign-in name (their e-mail name) and a random password for the
    web pages (argon2 makes that about a third of a second each)."""
    if projector_processes is None:
        projector_processes = certificates >= PROCESSES_FROM
    started = time.monotonic()
    backoffice = open_batched_backoffice(settings)
    documents: BatchedPostgresDocumentStore | BatchedDirectoryDocumentStore = (
        BatchedPostgresDocumentStore(settings.postgres)
        if settings.is_postgres
        else BatchedDirectoryDocumentStore(settings.documents_path)
    )
    read_models = ReadModels(
        eventsourcing_env(settings), postgres=settings.is_postgres, only=read_models_followed
    )
    projectors = ProjectorProcesses(settings, read_models_followed)
    try:
        _ensure_no_organizations(backoffice)
        if read_models_followed is not None:
            progress(
                f"building {', '.join(read_models_followed)} while writing; the other read "
                "models catch up from the log when a projector next runs"
            )
        if settings.is_postgres and projector_processes:
            projectors.start()
        else:
            read_models.run()
        today = backoffice.today()
        registered = _register_staff(backoffice, today, sign_in)
        report = Report(staff=[m for ms in registered.values() for m in ms])
        staff: dict[str, list[StaffMember]] = {}
        for member in report.staff:
            staff.setdefault(member.role, []).append(member)
        organizations = draw_organizations(random.Random(seed), certificates, today)
        writer = DemoWriter(backoffice, documents, staff, seed)
        backoffice.documents = documents

        next_analyze = ANALYZE_FROM
        for index, org in enumerate(organizations, start=1):
            writer.write(index, org)
            if index % BATCH_ORGANIZATIONS == 0:
                backoffice.flush()
                if settings.is_postgres and backoffice.events_written >= next_analyze:
                    _analyze(backoffice)
                    next_analyze = 2 * backoffice.events_written
            if index % PROGRESS_EVERY == 0:
                rate = index / (time.monotonic() - started)
                progress(
                    f"{index:,} organizations, {backoffice.events_written:,} events "
                    f"({rate:,.0f} organizations/s)"
                )
        backoffice.flush()
        if writer.sweep_candidates:
            backoffice.sweep(today, writer.sweep_candidates)
            backoffice.flush()
        report.write_seconds = time.monotonic() - started
        _catch_up(backoffice, read_models, progress, projectors.check, read_models_followed)
        report.organizations = len(organizations)
        report.certificates = certificates
        report.events = backoffice.events_written
        report.seconds = time.monotonic() - started
        return report
    finally:
        projectors.stop()
        read_models.close()
        if isinstance(documents, BatchedPostgresDocumentStore):
            documents.close()
        backoffice.close()


def _analyze(backoffice: BackOffice) -> None:
    """Refresh PostgreSQL's statistics of the store's tables."""
    with backoffice.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute("ANALYZE")


def settings_env(settings: Settings) -> dict[str, str]:
    """The ECPSC_* environment that gives a child process these settings."""
    env = {}
    for name, value in settings.model_dump(exclude_none=True).items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, date):
            text = value.isoformat()
        else:
            text = str(value)
        env[f"ECPSC_{name.upper()}"] = text
    return env


def _end_with_parent() -> None:
    """In the child: be sent SIGTERM when the thread that started it ends, however it ends
    (Linux; elsewhere `stop` alone ends the children)."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


PR_SET_PDEATHSIG = 1


class ProjectorProcesses:
    """`ecpsc projector` processes, one per group of read models, following the store."""

    def __init__(self, settings: Settings, only: Collection[str] | None = None) -> None:
        # A process's runners pull through one application pool (one connection and one
        # more for a burst is enough) and write through the read models' shared pool.
        self._env = {
            **os.environ,
            **settings_env(settings),
            "ECPSC_POSTGRES_MAX_OVERFLOW": str(min(settings.postgres_max_overflow, 1)),
        }
        self._processes: list[tuple[subprocess.Popen[bytes], Any]] = []
        self._only = only

    @staticmethod
    def groups(only: Collection[str] | None = None) -> list[tuple[str, ...]]:
        """PROJECTOR_GROUPS, and every other read model in one more group; of those `only`
        names, when given."""
        grouped = {name for group in PROJECTOR_GROUPS for name in group}
        rest = tuple(
            m.projection_class.name for m in PROJECTIONS if m.projection_class.name not in grouped
        )
        groups = [*PROJECTOR_GROUPS, *([rest] if rest else [])]
        if only is None:
            return groups
        chosen = [tuple(name for name in group if name in only) for group in groups]
        return [group for group in chosen if group]

    def start(self) -> None:
        """Start one projector process per group."""
        for group in self.groups(self._only):
            log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
            process = subprocess.Popen(
                [sys.executable, "-m", "ecpsc", "projector", "--only", ",".join(group)],
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_end_with_parent,
            )
            self._processes.append((process, log))

    def check(self) -> None:
        """Raise if a projector process has ended (its read models would never catch up)."""
        for process, log in self._processes:
            if process.poll() is not None:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(
                    f"projector {process.args!r} ended with code {process.returncode}:\n{tail}"
                )

    def stop(self) -> None:
        """Stop the processes (SIGTERM, then SIGKILL after PROJECTOR_STOP_SECONDS)."""
        for process, _ in self._processes:
            if process.poll() is None:
                process.terminate()
        for process, log in self._processes:
            try:
                process.wait(timeout=PROJECTOR_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        self._processes.clear()


def _catch_up(
    backoffice: BackOffice,
    read_models: ReadModels,
    progress: Callable[[str], None],
    check: Callable[[], None] = lambda: None,
    only: Collection[str] | None = None,
) -> None:
    """Wait for every read model (or those `only` names) to apply the last event, saying how far
    behind they are."""
    last = backoffice.recorder.max_notification_id()
    deadline_at = time.monotonic() + CATCH_UP_TIMEOUT_SECONDS
    while True:
        check()
        lag = {k: v for k, v in read_models.lag(last).items() if only is None or k in only}
        behind = max(lag.values(), default=0)
        if behind == 0:
            return
        if time.monotonic() > deadline_at:
            raise TimeoutError(f"read models still behind: {lag}")
        progress(f"read models catching up: {behind:,} events behind")
        try:
            read_models.wait(last, timeout=10.0)
        except TimeoutError:
            continue


def summary(report: Report) -> Sequence[str]:
    """The lines printed at the end of a run."""
    rate = report.organizations / report.seconds if report.seconds else 0.0
    lines = [
        f"{report.organizations:,} organizations ({report.certificates:,} certificates), "
        f"{report.events:,} events in {report.seconds:,.1f}s "
        f"({rate:,.1f} organizations/s; {report.events / report.seconds:,.0f} events/s; "
        f"writing took {report.write_seconds:,.1f}s)",
        "staff (role, name, id, API token; sign-in name and password for the web pages):",
    ]
    for m in report.staff:
        web = f"  {m.sign_in_name} {m.password}" if m.sign_in_name else ""
        lines.append(f"  {m.role:<19} {m.name}  {m.id}  {m.token}{web}")
    return lines
