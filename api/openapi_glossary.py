"""What the contract's answer fields mean, Chinese first, with the ZPIC-WF-20 clause they come
from: one vocabulary for every answer model, so a field named alike means alike everywhere.

The OpenAPI document describes each field of an answer that its model leaves undescribed from
here: `Model.field` first, then the bare field name. A description written on the model wins;
request bodies are described in their models (api/schemas), never from here.
"""

from __future__ import annotations

_GLOSSARY = """
id
    记录编号 / the record's id (UUID)
version
    版本号 / the record's version: send it as If-Match to a command on it (10.1)
created_at
    记录时间 / when the record was first recorded (10.1)
modified_at
    最后记录时间 / when its last event was recorded (10.1)
recorded_at
    记录时间 / when the server recorded it, with UTC offset (10.1)
recorded_by
    记录人 / the staff user who recorded it (10.1)
items
    本页条目 / the entries of this page
total
    符合条件的总数 / how many match in all
page
    页码，从 1 开始 / the page number, from 1
page_size
    每页条数 / entries per page
RegisterChange.checkpoint
    签名检查点（change 为 checkpoint 时）/ the signed checkpoint, when change is checkpoint
TokenOut.expires_at
    令牌到期时间 / when the token stops working (11)
TokenState.token_id
    令牌编号 / the token's id
TokenState.expires_at
    令牌到期时间 / when the token stops working (11)
TokenState.revoked
    是否已吊销 / whether the token was revoked (11)
TokenState.revoked_at
    吊销时间 / when it was revoked
UserCreated.deactivated_at
    停用时间，未停用为空 / when the staff member was deactivated; none while active (11)
UserCreated.token_expires_at
    令牌到期时间 / when the token shown stops working (11)
UserOut.deactivated_at
    停用时间，未停用为空 / when the staff member was deactivated; none while active (11)
CalendarDay.day
    日期 / the day
CalendarDay.working
    是否工作日 / whether it is a working day (7.2.1, §12)
CalendarOut.year
    年份 / the year
CalendarOut.notice_source
    已载入的放假安排通知出处，未载入为空 / the loaded notice's source; none when not loaded
CalendarOut.days
    与周一至周五不同或有名称的日子 / the days that differ from a plain Monday-to-Friday week
SweepOut.notices_sent
    本次发出的通知数 / notices this run sent (changes, expiry reminders, appeals digest)
SweepOut.notices_failed
    暂未发出的通知数（再次运行该日会补发）/ notices not sent now; running the day again sends them
cursor
    游标：按记录顺序递增 / position in recording order; resume after it
next
    下次从此游标之后继续 / the cursor to resume after
status
    状态 / the record's state
uscc
    统一社会信用代码 / unified social credit code (GB 32100-2015)
organization
    组织：名称、统一社会信用代码、地址、行业与联系人 / the organization: name, uscc, address,
    industry and contact (4.1.1)
organization_name
    组织名称 / the organization's name (8.1.1)
organization_uscc
    组织的统一社会信用代码 / the organization's uscc
name
    名称 / the name
address
    地址 / the address (8.1.1)
scope
    认证范围 / the certification scope (4.1.3, 8.1.1)
sites
    服务场所 / the service sites (4.2.2, 8.1.1)
effective_headcount
    有效人数 / effective headcount, which sets the audit time (4.2.1)
received_on
    收到日期 / the day received (4.1.1, 9)
certificate_number
    证书编号 / the certificate's number (8.1.1)
number
    证书编号 / the certificate's number (8.1.1)
application_id
    申请编号 / the application's id (4.1)
audit_id
    审查编号 / the audit's id (4.2)
decision_id
    认证决定编号 / the decision's id (4.6)
corrective_action_id
    纠正措施编号 / the corrective action's id (4.4.2.3)
user_id
    员工编号 / the staff user's id (11)
batch_id
    报送批次编号 / the regulator batch's id (8.1.3)
grade
    等级：五星级、四星级、三星级、达标级 / grade: five_star, four_star, three_star, compliant
    (4.4.3)
basis
    认证依据 / the certification basis, GB/T 27922-2011 (8.1.1)
issued_on
    发证日期 / the issue date (8.1.1)
expires_on
    有效期最后一天 / the last day of validity: 36 months from issued_on (8.1.2)
expired_on
    过期日期 / the day it expired (8.1.2)
suspended_from
    暂停开始日期 / the first day of the suspension (7.2.3)
suspended_until
    暂停最后一天 / the last day of the suspension (7.2.2)
withdrawn_on
    撤销日期 / the day it was withdrawn (7.3, 7.4)
recovered
    证书已收回 / the withdrawn certificate was recovered; otherwise a public notice (7.3.2)
verification_url
    公开验证地址，即二维码内容 / the public verification address its QR code holds (8.1.1)
schedule
    下一次到期事项 / what is due next (5.2, 6.1)
cycle_audits
    本周期的监督和补充审查 / the surveillance and supplementary audits of this cycle (5)
last_surveillance_on
    最近一次监督完成日期 / the day the last surveillance was completed (5.2)
recertification_window
    再认证申请窗口 / the recertification window (6.1)
opens_on
    窗口开启日 / the first day (6.1)
closes_on
    窗口关闭日，即有效期最后一天 / the last day: expires_on (6.1)
type
    审查类型 / the audit's type (4.2.1.2)
audit_type
    审查类型 / the audit's type (4.2.1.2)
start_on
    首日 / the first audit day (4.2.4)
end_on
    末日 / the last audit day (4.2.4)
team
    审查组及其人日 / the team and their person-days (4.2.3)
onsite_days
    计划现场人日 / planned on-site person-days (4.2.1.2)
actual_onsite_days
    实际现场人日 / actual on-site person-days (4.2.1.2)
required_days
    所需审查人日 / the person-days the rules require (4.2.1)
required_onsite_days
    所需现场人日：所需人日的 80% / the on-site minimum: 80 % of the required time (4.2.1.2)
qualified_days
    合格审查员人日，实习审查员不计 / qualified auditors' person-days; trainees' do not count
    (4.2.3)
sample_size
    抽样场所数 / the number of sites to sample (4.2.2)
sample_offered
    计划未指定抽样场所时由系统提供（本周期未访问的优先）/ the sample was offered because the
    plan named none, unvisited sites first (4.2.2, 5.4)
planner_sets_time
    人数超出表格，由策划人员确定时间并说明理由 / beyond the table: the planner sets the time with
    a justification (4.2.1)
layers
    评价层次 / the layers covered (4.2.4, 4.4.1)
justification
    理由 / the plan's justification (4.2.1)
rulebook_version
    所适用的规则版本 / the rulebook version that applied
findings
    审查发现 / the findings (4.4.2.3)
exclusions
    删减的指标及理由 / excluded indicators and why (4.4.2.2)
special_deductions
    特别扣分项 / special deductions, −1 each (4.4.2.3)
bonus
    特别加分项 / the special bonus, +1 (4.4.2.3)
score
    得分，两位小数 / the score, two decimals (4.4.3)
completed_on
    完成日期，即审查日期 / the day completed: the audit's date (5.2)
passed
    通过：最终得分不低于 70 且特别扣分少于 5 项 / passed: final ≥ 70 and fewer than 5 special
    deductions (4.4.3)
ScoreOut.applicable
    涉及项分值：未删减指标的分值之和 / applicable points: the points of indicators not excluded
    (4.4.2.3)
earned
    实得分值 / points earned (4.4.2.3)
ScoreOut.base
    基础得分 = 100 × 实得 ÷ 涉及项 / base = 100 × earned ÷ applicable (4.4.2.3)
ScoreOut.final_exact
    最终得分的精确值 / the final score, exact (4.4.3)
ScoreOut.breakdown
    各指标得分 / each indicator's line (4.4.2.3)
ScoreOut.special_deductions
    特别扣分项数 / how many special deductions (4.4.2.3)
ScoreOut.bonus
    特别加分 / the special bonus, 0 or 1 (4.4.2.3)
indicator
    评价指标 / the indicator (4.3, table 1)
points
    指标分值 / the indicator's points (4.3, table 1)
excluded
    已删减 / excluded (4.4.2.2)
category
    特别扣分类别 / the special deduction's category (4.4.2.3)
evidence
    证据 / the evidence recorded
opened_on
    开启日期 / the day opened (4.4.2.3)
verified_on
    核实日期 / the day the facts were verified (7.2.1, 7.3.1)
closing_evidence
    关闭时的整改证据 / the evidence it closed on (4.6)
audit_version
    审查记录的新版本号 / the audit's new version (10.1)
outcome
    结论 / the outcome
reasons
    理由 / the reasons (4.6.3)
decided_on
    决定日期 / the day decided (4.6)
decided_by
    决定人 / who decided: not on the audit's team (4.6.1)
contract
    认证合同：编号与签订日期 / the contract: number and signing date (4.1.4)
documents
    申请材料，以内容哈希标识 / the materials, by content hash (4.1.1)
missing_documents
    尚缺的材料类别 / the kinds of materials still missing (4.1.1)
reviews
    评审记录 / the reviews (4.1.3)
supplements
    补充材料记录 / the supplements received (4.1.3)
sha256
    内容的 SHA-256 / the SHA-256 of the content (10.3)
size
    字节数 / size in bytes
media_type
    媒体类型 / media type
filename
    文件名 / the file's recorded name
ccaa_registration
    CCAA 服务认证注册 / the CCAA service-certification registration (4.2.3)
roles
    角色；管理员拥有全部角色 / roles; admin holds them all (11)
email
    电子邮箱 / email address
sign_in_name
    网页登录名 / the web pages' sign-in name (11)
token
    登录令牌，仅此一次显示 / the bearer token, shown only this once (11)
listed
    当前在名单上 / on the watchlist now (4.1.2)
listings
    所在名单 / the lists it is on (4.1.2)
list
    名单 / the list (4.1.2)
source
    来源：机关与文号 / the authority and its document (4.1.2)
listed_on
    列入日期 / the day listed (4.1.2)
kind
    类别 / the kind
subject
    所涉对象 / what it is about (9)
appellant
    申诉人或投诉人及联系方式 / who appeals or complains, and how to reach them (9)
appellant_name
    申诉人或投诉人 / who appeals or complains (9)
text
    内容 / what they say (9)
due_on
    期限 / the due date
days_left
    剩余天数（负数为逾期）/ days left; negative when overdue (9)
overdue
    已逾期 / past its due date (9)
acknowledged_on
    确认收到日期 / the day receipt was acknowledged (9)
handlers
    处理人 / the handlers (9)
handler_ids
    处理人编号 / the handlers' ids (9)
notes
    调查记录 / the investigation notes (9)
resolution
    处理结论 / the resolution (9)
notice_sent_on
    书面通知发出日期 / the day the written notice was sent (9)
escalations
    向监管部门或认可机构的上诉 / escalations to the regulator or accreditor (9.3)
action
    变更：暂停、恢复或撤销 / the change: suspension, reinstatement or withdrawal (7.2, 7.3)
reason
    原因 / the reason
effective_on
    生效日期 / the day it took effect (7.2.1, 7.3.1)
days_late
    超出 5 个工作日期限的天数 / days past the 5-working-day limit (7.2.1, 7.3.1)
change
    变更类别 / what changed (7.4)
at
    变更时间 / when the change was recorded
as_of
    按该日已知事实 / the day whose facts decided
changes
    本次记录的变更 / the changes recorded
month
    月份 YYYY-MM / the month
business_date
    业务日期 / the business date of the change
certificate_status
    变更后的证书状态 / the certificate's status after the change (7.4)
reported_on
    报送日期 / the day reported (8.1.3)
reported_by
    报送人 / who recorded the report (8.1.3)
reference
    监管部门回执 / the regulator's receipt (8.1.3)
notification_cursors
    本批次所含通知 / the notifications the batch carried (8.1.3)
placed_on
    保全开始日期 / the day the hold was placed (10.2)
released_on
    保全解除日期 / the day the hold was released (10.2)
active
    保全有效 / the hold is in force (10.2)
ApplicationOut.status
    申请状态：已提交、待补充、已受理、不予受理、已签合同 / the application's state: submitted,
    supplement requested, accepted, rejected, contracted (4.1)
ApplicationRow.status
    申请状态 / the application's state (4.1)
AuditOut.status
    审查状态：已策划或已完成 / planned or completed (4.2, 4.4)
CertificateOut.status
    证书状态：有效、暂停、撤销、过期 / valid, suspended, withdrawn or expired (7, 8.1.2)
RegisterEntry.status
    证书状态：有效、暂停、撤销、过期 / valid, suspended, withdrawn or expired (7.4)
CorrectiveActionOut.status
    整改状态：进行中或已关闭 / open or closed (4.4.2.3)
AppealOut.status
    案件进度 / where the case stands: received, acknowledged, assigned, investigating,
    resolved, closed (9)
QueueItem.status
    案件进度 / where the case stands (9)
RegulatorNotification.status
    待报送或已报送 / pending or reported (8.1.3)
AppealOut.kind
    申诉或投诉 / appeal or complaint (9)
QueueItem.kind
    申诉或投诉 / appeal or complaint (9)
ComplianceException.kind
    例外类别：迟于期限生效 / the exception: an action that took effect late (7.2.1, 7.3.1)
DecisionOut.outcome
    颁证、不予认证或监督不通过后的处理 / grant, refuse, or a failed surveillance's follow-up
    (4.6, 5.6)
QueueItem.outcome
    处理结论：成立、部分成立、不成立 / upheld, partly upheld or rejected (9)
RegisterChange.change
    登记册变更：颁发、等级变更、暂停、恢复、撤销、过期 / issue, grade change, suspension,
    reinstatement, withdrawal or expiry (7.4)
RegulatorNotification.change
    向监管部门报送的变更 / the change the regulator is told of (7.4, 8.1.3)
SweepChange.change
    期限任务记录的变更：暂停、撤销、过期 / suspend, withdraw or expire (5.3, 7.3.1, 8.1.2)
ComplianceException.reason
    暂停或撤销原因 / the suspension's or withdrawal's reason (7.2.1, 7.3.1)
SweepChange.reason
    原因，如 surveillance_overdue / the reason, e.g. surveillance_overdue (5.3)
HoldOut.reason
    保全理由 / why the records must be kept (10.2)
AppealOut.due_on
    处理期限：收到后 60 日 / due 60 days after receipt (9)
QueueItem.due_on
    处理期限：收到后 60 日 / due 60 days after receipt (9)
ComplianceException.due_on
    期限：核实后第 5 个工作日 / the fifth working day after verified_on (7.2.1, 7.3.1)
SubmissionOut.due_on
    报送期限：次月 10 日 / due by the 10th of the next month (8.1.3)
SubmissionOut.month
    报送的月份 / the month reported (8.1.3)
RegisterEntry.organization
    组织：名称、统一社会信用代码、地址（不含个人信息）/ name, uscc and address; no personal
    data (8.1.1)
PublicOrganization.name
    组织名称 / the organization's name (8.1.1)
UserOut.name
    姓名 / the staff member's name (11)
UserCreated.name
    姓名 / the staff member's name (11)
CorrectiveActionOut.evidence
    开启时的证据：特别扣分所见 / the special deduction's evidence it opened on (4.4.2.3)
ScoreOut.score
    最终得分，限于 0–100，两位小数 / the final score, clamped to 0–100, two decimals (4.4.3)
ScoreOut.grade
    等级；不通过时为空 / the grade; none when failed (4.4.3)
CycleAudit.sites
    所抽样的服务场所 / the sites sampled (5.4)
CycleAudit.score
    得分 / the audit's score (4.4.3)
AuditOut.score
    当前或最终得分及其明细 / the current or final score with its breakdown (4.4.2.3, 4.4.3)
AuditOut.sites
    抽样的服务场所 / the sites sampled besides the central office (4.2.2, 5.4)
Refusal.code
    拒绝代码 / the refusal's code, snake_case
Refusal.message
    说明，中文在前 / the reason, Chinese first
Refusal.clause
    依据的条款 / the ZPIC-WF-20 clause that refuses (none when it is not a rule)
ErrorDetail.detail
    说明 / the reason
HTTPValidationError.detail
    每个格式错误的字段 / each malformed field
ValidationError.loc
    字段位置 / where the field is: body, query, path or header, then its name
ValidationError.msg
    说明 / what is wrong
ValidationError.type
    错误类别 / the error's kind
ValidationError.input
    收到的值 / the value received
ValidationError.ctx
    错误的参数 / the error's particulars
"""

_LINES = [line for line in _GLOSSARY.strip().splitlines() if line.strip()]


def _entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    key = ""
    for line in _LINES:
        if line.startswith("    "):
            entries[key] = f"{entries[key]} {line.strip()}".strip()
        else:
            key = line.strip()
            entries[key] = ""
    return entries


GLOSSARY: dict[str, str] = _entries()
"""A field's meaning, by `Model.field` or by the field's name."""


def describe_fields(components: dict[str, dict[str, object]], skip: set[str]) -> None:
    """Give every undescribed property of the component schemas, but those in `skip` (request
    bodies, described in their models), its glossary description."""
    for model, schema in components.items():
        if model in skip:
            continue
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            continue
        for field, prop in properties.items():
            if not isinstance(prop, dict) or "description" in prop:
                continue
            meaning = GLOSSARY.get(f"{model}.{field}") or GLOSSARY.get(field)
            if meaning:
                prop["description"] = meaning
