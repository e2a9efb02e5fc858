"""The evaluation report's content (ZPIC-WF-20 4.5, rules.md §3.4), built from an audit's records.

Pure: an Audit and the catalogue in, plain JSON-ready data out (strings, numbers, booleans,
lists, dicts). Every text a reader sees is given as {"zh": …, "en": …}, Chinese first. The
HTML template and the PDF renderer only lay this data out; they compute nothing.

The score is the one recorded on the audit's Completed event; an audit not yet completed shows
its current, provisional score, marked 审查未完成 / not completed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from domain.audit import QUALIFIED_ROLES, Audit, score_record
from domain.rulebook.catalogue import (
    CLAUSES_BY_ID,
    GROUPS_BY_ID,
    INDICATORS_BY_ID,
    LAYERS,
    METHODS,
    TOTAL_POINTS,
)
from domain.rulebook.numbers import two_decimals
from domain.rulebook.scoring import (
    DEDUCTION_CATEGORIES,
    FAILING_DEDUCTIONS,
    GRADE_NAMES,
    GRADE_THRESHOLDS,
    PASS_MARK,
    SPECIAL_BONUS_POINTS,
    SPECIAL_DEDUCTION_POINTS,
    Check,
    deduction_ratio,
)
from domain.rulebook.version import RULEBOOK_VERSION

Text = dict[str, str]

TITLE: Text = {"zh": "商品售后服务评价认证 评价报告", "en": "After-sales service evaluation report"}

CERTIFICATION_MODE: dict[str, Any] = {
    "zh": "商品售后服务评价认证",
    "en": "after-sales service evaluation certification",
    "standard": {
        "code": "GB/T 27922-2011",
        "zh": "商品售后服务评价体系",
        "en": "Evaluation system of after-sales service of commodities",
    },
    "rules": {
        "code": "ZPIC-WF-20",
        "zh": "商品售后服务评价认证规则",
        "en": "Rules for after-sales service evaluation certification",
    },
}

AUDIT_TYPES: dict[str, Text] = {
    "initial": {"zh": "初次认证", "en": "initial certification audit"},
    "surveillance": {"zh": "监督审查", "en": "surveillance audit"},
    "recertification": {"zh": "再认证", "en": "recertification audit"},
    "supplementary": {"zh": "补充审查", "en": "supplementary audit"},
}

PURPOSES: dict[str, Text] = {
    "initial": {
        "zh": "评价申请组织的商品售后服务是否符合 GB/T 27922-2011 及 ZPIC-WF-20 的要求，"
        "评定其售后服务等级，为认证决定提供依据。",
        "en": "To evaluate whether the applicant's after-sales service meets GB/T 27922-2011 "
        "and ZPIC-WF-20, rate its grade, and give the certification decision its basis.",
    },
    "surveillance": {
        "zh": "评价获证组织的售后服务是否持续符合认证要求，为保持或调整认证提供依据。",
        "en": "To evaluate whether the certified organization's after-sales service still meets "
        "the requirements, as the basis for maintaining or adjusting the certification.",
    },
    "recertification": {
        "zh": "评价获证组织的售后服务在认证周期届满时是否继续符合认证要求，为再认证决定提供依据。",
        "en": "To evaluate whether the certified organization's after-sales service continues to "
        "meet the requirements at the end of the cycle, as the basis for recertification.",
    },
    "supplementary": {
        "zh": "对需补充评价的事项进行审查，为认证决定提供依据。",
        "en": "To evaluate the matters that need a supplementary audit, as the basis for the "
        "certification decision.",
    },
}

BASIS: tuple[Text, ...] = (
    {
        "zh": "GB/T 27922-2011《商品售后服务评价体系》",
        "en": "GB/T 27922-2011 Evaluation system of after-sales service of commodities",
    },
    {
        "zh": "ZPIC-WF-20《商品售后服务评价认证规则》",
        "en": "ZPIC-WF-20 Rules for after-sales service evaluation certification",
    },
    {
        "zh": "受审查方的售后服务管理文件及适用的法律法规",
        "en": "the auditee's after-sales service documents and the applicable laws and regulations",
    },
)

TEAM_ROLES: dict[str, Text] = {
    "leader": {"zh": "审查组长", "en": "team leader"},
    "auditor": {"zh": "审查员", "en": "auditor"},
    "trainee": {"zh": "实习审查员", "en": "trainee (days not counted)"},
}

FINDING_KINDS: dict[str, Text] = {
    "nonconformity": {"zh": "不符合（定性）", "en": "nonconformity (qualitative)"},
    "sampled": {"zh": "抽样检查", "en": "sampled check"},
}

CENTRAL_OFFICE: Text = {"zh": "中心办公室", "en": "central office"}
SERVICE_SITE: Text = {"zh": "服务场所（抽样）", "en": "service site (sampled)"}
NONE: Text = {"zh": "无", "en": "none"}


def bilingual(text: str) -> Text:
    """Split the rulebook's "中文 / English" wording into its two languages."""
    zh, _, en = text.partition(" / ")
    return {"zh": zh, "en": en or zh}


def _days(value: Decimal | str | int) -> str:
    return two_decimals(Fraction(Decimal(str(value))))


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else (None if value is None else str(value))


def _fraction(text: str) -> Fraction:
    return Fraction(text)


# -- the parts of the report ------------------------------------------------------------------


def organization_part(audit: Audit) -> dict[str, Any]:
    """Name, code, address and contact of the organization (4.5 first item)."""
    org = audit.organization
    contact = org.get("contact") or {}
    return {
        "name": org.get("name"),
        "uscc": org.get("uscc"),
        "address": org.get("address"),
        "contact": {
            "name": contact.get("name"),
            "phone": contact.get("phone"),
            "email": contact.get("email"),
        },
    }


def team_part(audit: Audit) -> list[dict[str, Any]]:
    """The team members with their roles and days; trainees are marked (4.2.3)."""
    members = []
    for m in audit.team:
        registration = m.get("registration") or {}
        members.append(
            {
                "name": m.get("name"),
                "user_id": m.get("user_id"),
                "role": m["role"],
                "role_name": TEAM_ROLES.get(m["role"], {"zh": m["role"], "en": m["role"]}),
                "days": _days(m["days"]),
                "trainee": m["role"] not in QUALIFIED_ROLES,
                "registration_number": registration.get("number"),
            }
        )
    return members


def places_part(audit: Audit) -> list[dict[str, Any]]:
    """Where the audit took place: the central office and the sampled service sites (4.2.2)."""
    places: list[dict[str, Any]] = [
        {
            "kind": "central_office",
            "kind_name": CENTRAL_OFFICE,
            "name": CENTRAL_OFFICE["zh"],
            "address": audit.organization.get("address"),
        }
    ]
    places += [
        {"kind": "service_site", "kind_name": SERVICE_SITE, "name": site, "address": None}
        for site in audit.sites
    ]
    return places


def _counted_checks(audit: Audit) -> dict[str, list[dict[str, Any]]]:
    counted: dict[str, list[dict[str, Any]]] = {}
    for finding in audit.findings:
        if Audit.counts(finding):
            counted.setdefault(finding["indicator"], []).append(finding)
    return counted


def _line_basis(points: int, excluded: bool, findings: list[dict[str, Any]]) -> Text:
    """Why an indicator earned what it did, in words an applicant can follow (4.4.2.3)."""
    if excluded:
        return {"zh": "删减，不计入涉及项分值", "en": "excluded: not in the applicable points"}
    if not findings:
        return {"zh": "未发现不符合，得全部分值", "en": "no nonconformity: all points earned"}
    numbers = "、".join(f"#{f['number']}" for f in findings)
    numbers_en = ", ".join(f"#{f['number']}" for f in findings)
    qualitative = [f for f in findings if f["kind"] == "nonconformity"]
    if qualitative:
        return {
            "zh": f"定性不符合（发现 {numbers}），扣除全部 {points} 分",
            "en": f"qualitative nonconformity (finding {numbers_en}): all {points} points lost",
        }
    ratio = deduction_ratio(
        Check(f["kind"], f["sampled"] or 0, f["nonconforming"] or 0) for f in findings
    )
    worst = max(
        findings,
        key=lambda f: Fraction(f["nonconforming"] or 0, f["sampled"] or 1),
    )
    lost = two_decimals(points * ratio)
    n, m = worst["nonconforming"], worst["sampled"]
    several_zh = "（取最差比例）" if len(findings) > 1 else ""
    several_en = " (the worst ratio counts)" if len(findings) > 1 else ""
    return {
        "zh": f"抽样 {m} 个中 {n} 个不符合{several_zh}（发现 {numbers}），"
        f"扣 {points} × {n}/{m} = {lost} 分",
        "en": f"{n} of {m} sampled nonconforming{several_en} (finding {numbers_en}): "
        f"{points} × {n}/{m} = {lost} points lost",
    }


def breakdown_part(audit: Audit, score: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per indicator of table 1: id, names, points, earned, excluded, and why."""
    counted = _counted_checks(audit)
    lines = []
    for line in score["breakdown"]:
        indicator = INDICATORS_BY_ID[line["indicator"]]
        group = GROUPS_BY_ID[indicator.group]
        lines.append(
            {
                "indicator": indicator.id,
                "name_zh": indicator.name_zh,
                "name_en": indicator.name_en,
                "group": group.id,
                "group_name": {"zh": group.name_zh, "en": group.name_en},
                "points": line["points"],
                "earned": line["earned"],
                "excluded": line["excluded"],
                "basis": _line_basis(
                    line["points"], line["excluded"], counted.get(indicator.id, [])
                ),
            }
        )
    return lines


def arithmetic_part(score: dict[str, Any]) -> dict[str, Any]:
    """The score's arithmetic, step by step, with the values as recorded (4.4.2.3 5))."""
    applicable = int(score["applicable"])
    excluded_points = TOTAL_POINTS - applicable
    deductions = int(score["special_deductions"])
    bonus = int(score["bonus"])
    deduction_points = deductions * SPECIAL_DEDUCTION_POINTS
    bonus_points = bonus * SPECIAL_BONUS_POINTS
    base, final, earned = score["base"], score["score"], score["earned"]
    unclamped = _fraction(score["base_exact"]) - deduction_points + bonus_points
    clamped = unclamped != _fraction(score["final_exact"])
    clamp_zh = "（评分限定在 0 至 100 分之间）" if clamped else ""
    clamp_en = " (the score is held within 0 to 100)" if clamped else ""
    minus, plus = int(deduction_points), int(bonus_points)
    steps: list[Text] = [
        {
            "zh": f"涉及项分值 = {TOTAL_POINTS} − {excluded_points}（删减指标分值）= {applicable}",
            "en": f"applicable points = {TOTAL_POINTS} − {excluded_points} (excluded indicators) "
            f"= {applicable}",
        },
        {
            "zh": f"实际得分 = 各涉及指标得分之和 = {earned}",
            "en": f"earned = sum of the applicable indicators' earned points = {earned}",
        },
        {
            "zh": f"评分 = 100 × 实际得分 ÷ 涉及项分值 = 100 × {earned} ÷ {applicable} = {base}",
            "en": f"base = 100 × earned ÷ applicable = 100 × {earned} ÷ {applicable} = {base}",
        },
        {
            "zh": f"特别扣分 = {deductions} 项 × 1 分 = {minus}",
            "en": f"special deductions = {deductions} × 1 point = {minus}",
        },
        {
            "zh": f"特别加分 = {bonus} 项 × 1 分 = {plus}",
            "en": f"special bonus = {bonus} × 1 point = {plus}",
        },
        {
            "zh": f"最终评分 = 评分 − 特别扣分 + 特别加分 = {base} − {minus} + {plus} = {final}"
            f"{clamp_zh}（保留两位小数，四舍五入）",
            "en": f"final = base − deductions + bonus = {base} − {minus} + {plus} = {final}"
            f"{clamp_en} (two decimals, rounded half up)",
        },
    ]
    return {
        "total_points": TOTAL_POINTS,
        "excluded_points": excluded_points,
        "applicable_points": applicable,
        "earned": earned,
        "base": base,
        "base_exact": score["base_exact"],
        "special_deductions": deductions,
        "deduction_points": int(deduction_points),
        "bonus": bonus,
        "bonus_points": int(bonus_points),
        "final": final,
        "final_exact": score["final_exact"],
        "clamped": clamped,
        "steps": steps,
    }


def grade_rule() -> dict[str, Any]:
    """The pass mark and the grade bands (4.4.3.2, 4.4.3.3), from the rulebook's constants."""
    pass_mark = int(PASS_MARK)
    bands: list[dict[str, Any]] = [
        {"min": int(threshold), "grade": grade, "name": bilingual(GRADE_NAMES[grade])}
        for threshold, grade in GRADE_THRESHOLDS
    ]
    bands_zh = "；".join(f"≥ {b['min']} 分 {b['name']['zh']}" for b in bands)
    bands_en = "; ".join(f"≥ {b['min']} {b['name']['en']}" for b in bands)
    return {
        "pass_mark": pass_mark,
        "failing_deductions": FAILING_DEDUCTIONS,
        "bands": bands,
        "zh": f"评分 ≥ {pass_mark} 分且特别扣分项少于 {FAILING_DEDUCTIONS} 个为通过，否则不通过。"
        f"通过时按评分定级：{bands_zh}。",
        "en": f"Passed when the score is ≥ {pass_mark} and there are fewer than "
        f"{FAILING_DEDUCTIONS} special deductions; otherwise failed. A pass is graded by the "
        f"score: {bands_en}.",
    }


def result_part(score: dict[str, Any]) -> dict[str, Any]:
    """How the rule applies to this score: passed or not, and the grade."""
    final, deductions = score["score"], int(score["special_deductions"])
    exact = _fraction(score["final_exact"])
    pass_mark = int(PASS_MARK)
    score_ok = exact >= PASS_MARK
    deductions_ok = deductions < FAILING_DEDUCTIONS
    zh = [
        f"{final} {'≥' if score_ok else '<'} {pass_mark}",
        f"特别扣分项 {deductions} 个 {'<' if deductions_ok else '≥'} {FAILING_DEDUCTIONS}",
    ]
    en = [
        f"{final} {'≥' if score_ok else '<'} {pass_mark}",
        f"special deductions {deductions} {'<' if deductions_ok else '≥'} {FAILING_DEDUCTIONS}",
    ]
    grade = score["grade"]
    if score["passed"]:
        threshold = next(int(t) for t, g in GRADE_THRESHOLDS if g == grade)
        name = bilingual(GRADE_NAMES[grade])
        text = {
            "zh": f"{'，'.join(zh)} → 通过；{final} ≥ {threshold} → {name['zh']}",
            "en": f"{', '.join(en)} → passed; {final} ≥ {threshold} → {name['en']}",
        }
    else:
        text = {"zh": f"{'，'.join(zh)} → 不通过", "en": f"{', '.join(en)} → failed"}
    return {
        "passed": bool(score["passed"]),
        "grade": grade,
        "grade_name": bilingual(GRADE_NAMES[grade]) if grade else None,
        "explanation": text,
    }


def findings_part(audit: Audit) -> list[dict[str, Any]]:
    """Every finding with its clause's text; a trainee's not yet approved is marked (4.2.3)."""
    names = {m["user_id"]: m.get("name") for m in audit.team}
    findings = []
    for f in audit.findings:
        clause = CLAUSES_BY_ID.get(f["clause"])
        indicator = INDICATORS_BY_ID[f["indicator"]]
        counts = Audit.counts(f)
        findings.append(
            {
                "number": f["number"],
                "indicator": f["indicator"],
                "indicator_name": {"zh": indicator.name_zh, "en": indicator.name_en},
                "clause": f["clause"],
                "clause_zh": clause.zh if clause else None,
                "clause_en": clause.en if clause else None,
                "kind": f["kind"],
                "kind_name": FINDING_KINDS.get(f["kind"], {"zh": f["kind"], "en": f["kind"]}),
                "sampled": f["sampled"],
                "nonconforming": f["nonconforming"],
                "ratio": (
                    f"{f['nonconforming']}/{f['sampled']}" if f["kind"] == "sampled" else None
                ),
                "evidence": f["evidence"],
                "recorded_by": names.get(f["by"], f["by"]),
                "approved_by": names.get(f["approved_by"], f["approved_by"])
                if f["approved_by"]
                else None,
                "counts": counts,
                "status": (
                    {"zh": "计分", "en": "counted"}
                    if counts
                    else {"zh": "待审查员批准，不计分", "en": "awaiting approval, not counted"}
                ),
            }
        )
    return findings


def exclusions_part(audit: Audit) -> list[dict[str, Any]]:
    """The excluded goods-service indicators with their points and reasons (4.4.2.2)."""
    rows = []
    for indicator_id, record in audit.exclusions.items():
        indicator = INDICATORS_BY_ID[indicator_id]
        rows.append(
            {
                "indicator": indicator_id,
                "name_zh": indicator.name_zh,
                "name_en": indicator.name_en,
                "points": indicator.points,
                "reason": record["reason"],
            }
        )
    return rows


def deductions_part(audit: Audit) -> list[dict[str, Any]]:
    """Each special deduction: −1, its category, evidence and corrective action (4.4.2.3 3))."""
    return [
        {
            "number": n,
            "category": d["category"],
            "category_name": bilingual(DEDUCTION_CATEGORIES.get(d["category"], d["category"])),
            "points": -int(SPECIAL_DEDUCTION_POINTS),
            "evidence": d["evidence"],
            "corrective_action_id": d["corrective_action_id"],
        }
        for n, d in enumerate(audit.special_deductions, start=1)
    ]


def bonus_part(audit: Audit) -> dict[str, Any] | None:
    """The one special bonus (+1), or None (4.4.2.3 4))."""
    if audit.bonus is None:
        return None
    return {"points": int(SPECIAL_BONUS_POINTS), "evidence": audit.bonus["evidence"]}


def conclusion_part(completed: bool, result: dict[str, Any]) -> dict[str, Any]:
    """The evaluation's conclusion (4.4.3): passed with the grade, failed, or not completed."""
    if not completed:
        return {
            "code": "not_completed",
            "passed": None,
            "grade": None,
            "grade_name": None,
            "zh": "审查未完成，以下评分为当前暂定评分，不构成评价结论",
            "en": "the audit is not completed: the score shown is provisional, not a conclusion",
        }
    if result["passed"]:
        name = result["grade_name"]
        return {
            "code": "passed",
            "passed": True,
            "grade": result["grade"],
            "grade_name": name,
            "zh": f"通过，{name['zh']}售后服务",
            "en": f"passed, {name['en']} after-sales service",
        }
    return {
        "code": "failed",
        "passed": False,
        "grade": None,
        "grade_name": None,
        "zh": "不通过",
        "en": "failed",
    }


def recommendation_part(completed: bool, passed: bool) -> dict[str, Any]:
    """The team's recommendation to the certification decision (4.5, 4.6)."""
    if not completed:
        return {
            "code": "none",
            "zh": "审查未完成，暂无推荐意见",
            "en": "the audit is not completed: no recommendation yet",
        }
    if passed:
        return {"code": "recommend", "zh": "推荐认证", "en": "recommended for certification"}
    return {"code": "not_recommend", "zh": "不推荐认证", "en": "not recommended for certification"}


# -- the whole report -------------------------------------------------------------------------


def report_number(audit: Audit) -> str:
    """The report's number: PJBG, the day it is dated (or the audit's start), the audit's id."""
    completion = audit.completion
    day = completion["completed_on"] if completion else audit.start_on
    stamp = day.strftime("%Y%m%d") if isinstance(day, date) else "00000000"
    return f"PJBG-{stamp}-{str(audit.id)[:8].upper()}"


def signatures_part(audit: Audit) -> list[dict[str, Any]]:
    """A signature line for the team leader, then each member (4.5): role and name printed,
    signature and date left blank for the pen."""
    members = sorted(audit.team, key=lambda m: 0 if m["role"] == "leader" else 1)
    return [
        {
            "name": m.get("name"),
            "role": m["role"],
            "role_name": TEAM_ROLES.get(m["role"], {"zh": m["role"], "en": m["role"]}),
        }
        for m in members
    ]


def build_report(audit: Audit, generated_on: date | None = None) -> dict[str, Any]:
    """The evaluation report of an audit (rules.md §3.4), JSON-ready, Chinese with English."""
    completion = audit.completion
    completed = completion is not None
    score = completion["score"] if completion else score_record(audit.current_score())
    result = result_part(score)
    accompanying = list(getattr(audit, "accompanying", None) or [])
    return {
        "title": TITLE,
        "audit_id": str(audit.id),
        "audit_version": audit.version,
        "application_id": audit.application_id,
        "certificate_number": audit.certificate_number,
        "report_number": report_number(audit),
        "report_date": _iso(completion["completed_on"]) if completion else None,
        "signatures": signatures_part(audit),
        "generated_on": _iso(generated_on),
        "status": audit.status,
        "completed": completed,
        "status_name": (
            {"zh": "审查已完成", "en": "completed"}
            if completed
            else {"zh": "审查未完成", "en": "not completed"}
        ),
        "organization": organization_part(audit),
        "certification_mode": CERTIFICATION_MODE,
        "audit_type": {
            "code": audit.audit_type,
            **AUDIT_TYPES.get(audit.audit_type, {"zh": audit.audit_type, "en": audit.audit_type}),
        },
        "methods": [{"code": code, "zh": t.zh, "en": t.en} for code, t in METHODS.items()],
        "layers": [
            {"code": code, "zh": LAYERS[code].zh, "en": LAYERS[code].en}
            for code in audit.layers
            if code in LAYERS
        ],
        "purpose": PURPOSES.get(audit.audit_type, PURPOSES["supplementary"]),
        "basis": list(BASIS),
        "scope": audit.scope,
        "team": team_part(audit),
        "accompanying": accompanying,
        "accompanying_text": NONE if not accompanying else None,
        "dates": {
            "start_on": _iso(audit.start_on),
            "end_on": _iso(audit.end_on),
            "completed_on": _iso(completion["completed_on"]) if completion else None,
            "planned_onsite_days": _days(audit.onsite_days),
            "actual_onsite_days": _days(completion["onsite_days"]) if completion else None,
            "qualified_days": _days(audit.qualified_days),
            "required_days": _days(audit.required_days),
        },
        "places": places_part(audit),
        "score": {
            "provisional": not completed,
            "final": score["score"],
            "breakdown": breakdown_part(audit, score),
            "arithmetic": arithmetic_part(score),
            "rule": grade_rule(),
            "result": result,
        },
        "findings": findings_part(audit),
        "exclusions": exclusions_part(audit),
        "special_deductions": deductions_part(audit),
        "bonus": bonus_part(audit),
        "conclusion": conclusion_part(completed, result),
        "recommendation": recommendation_part(completed, bool(score["passed"])),
        "rulebook_version": completion["rulebook_version"] if completion else RULEBOOK_VERSION,
        "plan_rulebook_version": audit.plan_rulebook_version,
    }
