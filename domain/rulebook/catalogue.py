"""The indicator catalogue of ZPIC-WF-20 4.3 (table 1): groups, indicators, clauses, bilingual."""

from __future__ import annotations

from dataclasses import dataclass

GOODS_SERVICE = "4.3.2"
"""The group whose indicators alone may be excluded (删减, 4.4.2.2; rules.md §3.2)."""


@dataclass(frozen=True)
class Clause:
    """One requirement of an indicator: the seed's Chinese text and its English translation."""

    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Indicator:
    """One scored indicator of table 1, with its points and its clauses."""

    id: str
    group: str
    name_zh: str
    name_en: str
    points: int
    qualitative: bool
    clauses: tuple[Clause, ...]

    @property
    def excludable(self) -> bool:
        """Whether it may be excluded (删减): goods-service indicators 4.3.2.x only."""
        return self.group == GOODS_SERVICE


@dataclass(frozen=True)
class Group:
    """One indicator group (指标大类) of table 1, with its points."""

    id: str
    name_zh: str
    name_en: str
    points: int


@dataclass(frozen=True)
class Term:
    """A named item with its Chinese and English wording."""

    zh: str
    en: str


TOTAL_POINTS = 100
"""4.4.2.1: the full score."""

GROUPS: tuple[Group, ...] = (
    Group(id="4.3.1", name_zh="售后服务体系", name_en="after-sales service system", points=40),
    Group(id="4.3.2", name_zh="商品服务", name_en="goods service", points=35),
    Group(id="4.3.3", name_zh="顾客服务", name_en="customer service", points=25),
)
"""The three indicator groups of 4.3 with their points (4.4.2.1)."""

GROUPS_BY_ID: dict[str, Group] = {group.id: group for group in GROUPS}
"""The groups by id."""

# qualitative: 4.4.2.3 1) says the indicators are "一般均为定性指标" (generally qualitative: a
# nonconformity deducts all their points), and 2) lets any indicator that needs several samples
# of one kind be deducted pro rata; its examples (人员资质、能力、行为态度、服务记录、设施完善度、
# 投诉解决情况) are aspects that cut across indicators, not a list of indicators. The seed does
# not distinguish per indicator, so every indicator is qualitative=True here, and the kind of a
# finding (qualitative nonconformity vs sampled check, rules.md §3.2) decides the deduction, not
# the indicator.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="4.3.1.1",
        group="4.3.1",
        name_zh="组织架构",
        name_en="organisation structure",
        points=4,
        qualitative=True,
        # The seed lists these three items as 1) 2) 3), not as numbered sub-clauses: they
        # are given the ids 4.3.1.1.1-4.3.1.1.3 here so that a finding can name one.
        clauses=(
            Clause(
                id="4.3.1.1.1",
                zh="设立或指定专门从事售后服务工作的部门，并有合理的职能划分和岗位设置。",
                en=(
                    "A department dedicated to after-sales service work is set up or designated, "
                    "with a sound division of functions and definition of posts."
                ),
            ),
            Clause(
                id="4.3.1.1.2",
                zh="根据需要，服务网点覆盖商品销售区域，能够对服务网点进行有效管理。",
                en=(
                    "As needed, service outlets cover the areas where the goods are sold, and the "
                    "outlets can be managed effectively."
                ),
            ),
            Clause(
                id="4.3.1.1.3",
                zh="可通过自建或委托设立服务网点。",
                en=(
                    "Service outlets may be set up by the organization itself or by entrusting "
                    "others."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.1.2",
        group="4.3.1",
        name_zh="人员配置",
        name_en="staffing",
        points=6,
        qualitative=True,
        # The seed (and GB/T 27922) states this requirement as one paragraph with no numbered
        # item: a finding cites it by the indicator's own number, 4.3.1.2 (api.md Additions).
        # Earlier catalogues made up 4.3.1.2.1 for it; CLAUSE_ALIASES reads that in old events.
        clauses=(
            Clause(
                id="4.3.1.2",
                zh=(
                    "根据行业特性，配置符合岗位要求并有相应资质水平的售后服务技术或业务人员，"
                    "负责对售后服务工作的管理和对售后服务活动的指导。"
                ),
                en=(
                    "In line with the characteristics of the industry, after-sales technical or "
                    "business staff who meet the requirements of their posts and hold the "
                    "corresponding qualifications are assigned to manage after-sales service work "
                    "and guide after-sales service activities."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.1.3",
        group="4.3.1",
        name_zh="资源配置",
        name_en="resources",
        points=6,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.1.3.1",
                zh=(
                    "应提供充足的经费保障，并能提前准备应对特定问题的专项经费。\n"
                    "注：当商品涉及安全问题或批次质量问题时，需要提供专项经费，例如赔偿准备金、"
                    "保险等。"
                ),
                en=(
                    "Sufficient funding shall be assured, and dedicated funds for dealing with "
                    "specific problems can be set aside in advance.\n"
                    "Note: where the goods involve safety problems or batch quality problems, "
                    "dedicated funds are needed, e.g. compensation reserves, insurance."
                ),
            ),
            Clause(
                id="4.3.1.3.2",
                zh=(
                    "售后服务组织应提供内部保证，具体包括：\n"
                    "1) 长期保持服务专业技术培训和业务人员的业务技能培训，"
                    "使其有良好的素质和能力；\n"
                    "2) 定期或不定期的服务文化的培训；\n"
                    "3) 有效的评优、奖励、晋升和员工关怀机制。"
                ),
                en=(
                    "The after-sales service organization shall provide internal assurance, "
                    "specifically:\n"
                    "1) continuing professional technical training for service staff and "
                    "business-skills training for business staff, so that they have good qualities "
                    "and capabilities;\n"
                    "2) regular or occasional training in service culture;\n"
                    "3) effective mechanisms for commendation, rewards, promotion and employee "
                    "care."
                ),
            ),
            Clause(
                id="4.3.1.3.3",
                zh=(
                    "售后服务组织应提供基础设施，具体包括：\n"
                    "1) 办公场所和服务场所；\n"
                    "2) 售后服务设施，例如顾客信息系统、安全保障措施等；\n"
                    "3) 售后服务活动中涉及的工具、备品备件等。"
                ),
                en=(
                    "The after-sales service organization shall provide infrastructure, "
                    "specifically:\n"
                    "1) offices and service premises;\n"
                    "2) after-sales service facilities, e.g. a customer information system, safety "
                    "and security measures;\n"
                    "3) the tools, spares and spare parts used in after-sales service activities."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.1.4",
        group="4.3.1",
        name_zh="规范要求",
        name_en="service norms",
        points=6,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.1.4.1",
                zh=(
                    "针对售后服务中的各项活动和流程，制定相应的制度和规范，明确产品/服务范围、"
                    "职能设计组织分工、运转机制，并以企业文件形式体现，形成完整的后服务手册。"
                ),
                en=(
                    "For each activity and process of after-sales service, corresponding rules and "
                    "norms are drawn up that define the product/service scope, the design of "
                    "functions and the division of work in the organization, and the operating "
                    "mechanisms; they are set down as company documents forming a complete "
                    "after-sales service manual."
                ),
            ),
            Clause(
                id="4.3.1.4.2",
                zh="制定售后服务规范要求时应识别国家有关法律法规的要求，并使员工了解。",
                en=(
                    "When the after-sales service norms are drawn up, the requirements of the "
                    "relevant national laws and regulations shall be identified and made known to "
                    "the staff."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.1.5",
        group="4.3.1",
        name_zh="监督",
        name_en="supervision",
        points=7,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.1.5.1",
                zh="设立服务监督机构，由专职人员负责，监督企业售后服务系统的运转情况。",
                en=(
                    "A service supervision body is set up, run by full-time staff, to supervise "
                    "how the company's after-sales service system operates."
                ),
            ),
            Clause(
                id="4.3.1.5.2",
                zh=(
                    "以监督有效奖惩，持续修正各项服务目标，并通过内部和外部的监督评价活动促进服务品"
                    "质提升。"
                ),
                en=(
                    "Supervision is used to apply effective rewards and penalties and to keep "
                    "revising the service objectives, and internal and external supervisory "
                    "evaluations drive improvement of service quality."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.1.6",
        group="4.3.1",
        name_zh="改进",
        name_en="improvement",
        points=5,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.1.6.1",
                zh=(
                    "生产、销售、服务等部门之间有良好的市场信息反馈机制，并在商品质量或服务品质方面"
                    "不断改进。"
                ),
                en=(
                    "Production, sales, service and other departments have a good mechanism for "
                    "feeding market information back among themselves, and the quality of the "
                    "goods or of the service is continually improved."
                ),
            ),
            Clause(
                id="4.3.1.6.2",
                zh=(
                    "对售后服务中发现的难以解决的问题，设立有关的服务研究部门或委托专业机构进行研究"
                    "和咨询。"
                ),
                en=(
                    "For problems found in after-sales service that are hard to solve, a service "
                    "research department is set up or a specialist body is commissioned to "
                    "research them and advise."
                ),
            ),
            Clause(
                id="4.3.1.6.3",
                zh="通过国家认可的相关品牌、安全或管理认证。",
                en=(
                    "The organization has passed relevant nationally recognised brand, safety or "
                    "management certifications."
                ),
            ),
            Clause(
                id="4.3.1.6.4",
                zh="重视服务标准化工作，鼓励参与国家、行业有关标准的制定工作。",
                en=(
                    "Service standardization is given due weight, and taking part in drafting "
                    "relevant national and industry standards is encouraged."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.1.7",
        group="4.3.1",
        name_zh="服务文化",
        name_en="service culture",
        points=6,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.1.7.1",
                zh="有明确的服务理念，作为后服务工作的指导思想，并保证员工理解。",
                en=(
                    "There is a clear service philosophy, serving as the guiding principle of "
                    "after-sales service work, and the staff are made sure to understand it."
                ),
            ),
            Clause(
                id="4.3.1.7.2",
                zh=(
                    "对售后服务的目标或水平做出承诺，服务承诺在广告、宣传品、保修卡、"
                    "销售合同等各种文档材料中的表述准确一致，并有效地传递给顾客。"
                ),
                en=(
                    "Commitments are made on the objectives or level of after-sales service; the "
                    "service commitments are stated accurately and consistently in advertising, "
                    "promotional material, warranty cards, sales contracts and all other "
                    "documents, and are effectively communicated to customers."
                ),
            ),
            Clause(
                id="4.3.1.7.3",
                zh="以多种方式向社会公众做服务文化和活动的宣传，形成有效的顾客认知和口碑。",
                en=(
                    "The service culture and service activities are publicised to the general "
                    "public in various ways, building effective customer awareness and a good "
                    "reputation."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.2.1",
        group="4.3.2",
        name_zh="商品信息",
        name_en="goods information",
        points=6,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.2.1.1",
                zh="商品包装有完整、准确的企业和商品有关信息，便于顾客识别和了解。",
                en=(
                    "The packaging of the goods carries complete and accurate information about "
                    "the company and the goods, easy for customers to recognise and understand."
                ),
            ),
            Clause(
                id="4.3.2.1.2",
                zh=(
                    "商品附属文档中应明确技术数据、操作使用及保养要求等。文档应便于顾客理解，"
                    "各条款符合国家有关规定要求。"
                ),
                en=(
                    "The documents accompanying the goods shall state the technical data, "
                    "operating instructions, maintenance requirements and the like. The documents "
                    "shall be easy for customers to understand, and every provision shall comply "
                    "with the relevant national regulations."
                ),
            ),
            Clause(
                id="4.3.2.1.3",
                zh="向顾客明示商品的保修期限、维修收费、主要部件和易损配件等信息。",
                en=(
                    "Customers are clearly told the warranty period, the repair charges, the main "
                    "components, the wearing parts and similar information about the goods."
                ),
            ),
            Clause(
                id="4.3.2.1.4",
                zh="涉及顾客使用安全的商品，应在商品上做安全提示，并明示安全使用年限。",
                en=(
                    "Goods that bear on customers' safety in use shall carry safety warnings on "
                    "the goods and clearly state their safe service life."
                ),
            ),
            Clause(
                id="4.3.2.1.5",
                zh=(
                    "建立商品系统性缺陷信息公开机制，及时告知顾客。\n"
                    "注：系统性缺陷指商品出现的结构性的、批次性的质量缺陷。"
                ),
                en=(
                    "A mechanism for disclosing systemic defects of the goods is established, and "
                    "customers are informed promptly.\n"
                    "Note: a systemic defect is a structural or batch-wide quality defect of the "
                    "goods."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.2.2",
        group="4.3.2",
        name_zh="技术支持",
        name_en="technical support",
        points=6,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.2.2.1",
                zh="根据商品的特点，在售出后提供及时、必要的安装和调试服务。",
                en=(
                    "According to the characteristics of the goods, timely and necessary "
                    "installation and commissioning services are provided after the sale."
                ),
            ),
            Clause(
                id="4.3.2.2.2",
                zh="提供商品使用所必需的使用指导或顾客培训，解答并解决顾客的问。",
                en=(
                    "The usage guidance or customer training needed to use the goods is provided, "
                    "and customers' questions are answered and resolved."
                ),
            ),
            Clause(
                id="4.3.2.2.3",
                zh=(
                    "在商品有效期内为顾客提供持续的各类技术支持服务。对于有保养要求的商品，"
                    "应按法律法规要求和服务承诺提供相应的保养服务。"
                ),
                en=(
                    "Throughout the goods' period of validity, customers are given continuing "
                    "technical support services of all kinds. For goods that require maintenance, "
                    "the corresponding maintenance service shall be provided as laws and "
                    "regulations and the service commitments require."
                ),
            ),
            Clause(
                id="4.3.2.2.4",
                zh="相关服务活动涉及收费的，应按国家有关规定合理收取，并事先明示。",
                en=(
                    "Where related service activities involve charges, these shall be reasonable "
                    "under the relevant national regulations and stated clearly in advance."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.2.3",
        group="4.3.2",
        name_zh="配送",
        name_en="delivery",
        points=4,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.2.3.1",
                zh="所售商品的包装应完整、安全，便于运输或携带。",
                en=(
                    "The packaging of the goods sold shall be intact and safe, and easy to "
                    "transport or carry."
                ),
            ),
            Clause(
                id="4.3.2.3.2",
                zh="对顾客所承诺的送货范围、送货时间及时兑现。",
                en=(
                    "The delivery area and delivery times promised to customers are honoured on "
                    "time."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.2.4",
        group="4.3.2",
        name_zh="维修",
        name_en="repair",
        points=10,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.2.4.1",
                zh="售后服务网点和服务部门应安排专人负责报修登记和接待服务。",
                en=(
                    "After-sales service outlets and service departments shall assign dedicated "
                    "staff to register repair requests and receive customers."
                ),
            ),
            Clause(
                id="4.3.2.4.2",
                zh="按国家法律法规有关要求提供包修和保修服务。",
                en=(
                    "Repair-guarantee (包修) and warranty services are provided as the relevant nat"
                    "ional laws and regulations require."
                ),
            ),
            Clause(
                id="4.3.2.4.3",
                zh=(
                    "服务人员应注意个人卫生和形象，有效执行报修、送修或上门维修的服务程序和服务规范"
                    "，及时进行维修，并向顾客如实提供维修记录。"
                ),
                en=(
                    "Service staff shall attend to their personal hygiene and appearance, "
                    "effectively follow the service procedures and norms for repair requests, "
                    "carry-in repairs and on-site repairs, carry out repairs promptly, and give "
                    "customers truthful repair records."
                ),
            ),
            Clause(
                id="4.3.2.4.4",
                zh="定期对维修设施、设备和器材进行检查，保证维修服务的正常进行。",
                en=(
                    "Repair facilities, equipment and materials are inspected regularly so that "
                    "the repair service runs normally."
                ),
            ),
            Clause(
                id="4.3.2.4.5",
                zh="保证商品维修所必需的材料和配件的质量以及及时供应。",
                en=(
                    "The quality and timely supply of the materials and parts needed to repair the "
                    "goods are assured."
                ),
            ),
            Clause(
                id="4.3.2.4.6",
                zh="对于维修期限较长，或因维修方原因延误维修时间的，可为顾客提供相应的代用品。",
                en=(
                    "Where a repair takes long, or is delayed for reasons on the repairer's side, "
                    "the customer may be given a suitable substitute."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.2.5",
        group="4.3.2",
        name_zh="质量保证",
        name_en="quality assurance",
        points=7,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.2.5.1",
                zh="所售商品质量应符合国家相关法规要求和质量标准。",
                en=(
                    "The quality of the goods sold shall meet the relevant national regulations "
                    "and quality standards."
                ),
            ),
            Clause(
                id="4.3.2.5.2",
                zh="对顾客明示的质保期和保修期应符合国家相关规定的要求。",
                en=(
                    "The quality guarantee period and the warranty period stated to customers "
                    "shall meet the relevant national regulations."
                ),
            ),
            Clause(
                id="4.3.2.5.3",
                zh=(
                    "对于有质量问题的商品，应按国家有关规定办理退换。如退换(非企业商品质量或服务问"
                    "题造成的)涉及到收费的，应事先向顾客明示。"
                ),
                en=(
                    "Goods with quality problems shall be returned or exchanged under the relevant "
                    "national regulations. Where a return or exchange (not caused by a quality or "
                    "service problem of the company's goods) involves charges, the customer shall "
                    "be told in advance."
                ),
            ),
            Clause(
                id="4.3.2.5.4",
                zh=(
                    "当商品存在缺陷或出现难以解决的问题(例如：配件停产无法维修、"
                    "服务场所歇业或地址迁移造成服务中断等)时，应实施商品召回或其他补救赔偿措施。"
                ),
                en=(
                    "Where goods have defects or problems that are hard to solve (e.g. repair "
                    "impossible because parts are discontinued, or service interrupted because a "
                    "service site closes or moves), the goods shall be recalled or other remedial "
                    "or compensatory measures taken."
                ),
            ),
            Clause(
                id="4.3.2.5.5",
                zh=(
                    "对于贸易型企业，应配合生产厂家，及时完成报修、登记、维修、收费、退换、"
                    "召回等服务，并按国家有关规定，执行先行赔付制度。"
                ),
                en=(
                    "A trading company shall work with the manufacturer to complete repair "
                    "requests, registration, repairs, charging, returns and exchanges, recalls and "
                    "similar services promptly, and shall operate an advance-compensation (先行赔付"
                    ") scheme under the relevant national regulations."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.2.6",
        group="4.3.2",
        name_zh="废弃商品回收",
        name_en="end-of-life take-back",
        points=2,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.2.6.1",
                zh="向顾客明示废弃商品回收的有关注意事项，其内容应符合安全和环保的要求。",
                en=(
                    "Customers are clearly told what to observe in the take-back of end-of-life "
                    "goods; this information shall meet safety and environmental protection "
                    "requirements."
                ),
            ),
            Clause(
                id="4.3.2.6.2",
                zh="按国家有关安全和环保的规定，对废弃商品进行回收和处置。",
                en=(
                    "End-of-life goods are taken back and disposed of under the relevant national "
                    "safety and environmental protection regulations."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.3.1",
        group="4.3.3",
        name_zh="顾客关系",
        name_en="customer relations",
        points=15,
        qualitative=True,
        # Ruling (rules.md §3.1): the seed's table 1 is garbled and omits customer relations;
        # its points follow from the group total (25 - 10 = 15), as in GB/T 27922-2011.
        clauses=(
            Clause(
                id="4.3.3.1.1",
                zh=(
                    "设立有预约、咨询、报修，投诉，防伪查询功能的顾客反馈渠道，"
                    "建立顾客服务热线或呼叫中心，并明示受理时间。"
                ),
                en=(
                    "Customer feedback channels are set up for appointments, enquiries, repair "
                    "requests, complaints and anti-counterfeiting checks; a customer service "
                    "hotline or call centre is established, and its hours of service are stated "
                    "clearly."
                ),
            ),
            Clause(
                id="4.3.3.1.2",
                zh="设立网站，包含售后服务的页面和内容，能够提供在线服务功能。",
                en=(
                    "A website is set up with after-sales service pages and content, able to "
                    "provide online service functions."
                ),
            ),
            Clause(
                id="4.3.3.1.3",
                zh=(
                    "建立顾客信息档案和计算机化的服务管理系统，能够有效进行顾客使用情况跟踪和回访，"
                    "并有对顾客信息和隐私的保密措施。"
                ),
                en=(
                    "Customer information files and a computerised service management system are "
                    "established, able to track customers' use effectively and follow up with "
                    "them, with measures that keep customer information and privacy confidential."
                ),
            ),
            Clause(
                id="4.3.3.1.4",
                zh=(
                    "定期进行顾客满意度调查(包括售后服务满意度调查)，及时掌握顾客意见。"
                    "顾客满意度调查可按照 SB/T 10409 执行。"
                ),
                en=(
                    "Customer satisfaction surveys (including after-sales service satisfaction "
                    "surveys) are carried out regularly to keep abreast of customers' opinions. "
                    "Customer satisfaction surveys may follow SB/T 10409."
                ),
            ),
            Clause(
                id="4.3.3.1.5",
                zh="定期为顾客提供有针对性的主动服务或回馈活动。",
                en=(
                    "Targeted proactive services or customer appreciation activities are offered "
                    "to customers regularly."
                ),
            ),
        ),
    ),
    Indicator(
        id="4.3.3.2",
        group="4.3.3",
        name_zh="投诉处理",
        name_en="complaint handling",
        points=10,
        qualitative=True,
        clauses=(
            Clause(
                id="4.3.3.2.1",
                zh="专职部门记录顾客投诉，建立完整的投诉档案。",
                en=(
                    "A dedicated department records customer complaints and keeps complete "
                    "complaint files."
                ),
            ),
            Clause(
                id="4.3.3.2.2",
                zh="及时反馈和处理顾客投诉，有效解决顾客投诉。",
                en=(
                    "Customer complaints are answered and handled promptly, and resolved "
                    "effectively."
                ),
            ),
            Clause(
                id="4.3.3.2.3",
                zh="配备服务调解人员，并有对突发事件进行及时处理、对服务失误进行补救的措施。",
                en=(
                    "Service mediators are appointed, and there are measures for handling "
                    "emergencies promptly and remedying service failures."
                ),
            ),
        ),
    ),
)
"""The 15 indicators of 4.3 in the seed's order, each with its points (table 1) and clauses."""

INDICATORS_BY_ID: dict[str, Indicator] = {indicator.id: indicator for indicator in INDICATORS}
"""The indicators by id."""

CLAUSES_BY_ID: dict[str, Clause] = {
    clause.id: clause for indicator in INDICATORS for clause in indicator.clauses
}
"""Every clause of every indicator, by id."""

_INDICATOR_OF_CLAUSE: dict[str, Indicator] = {
    clause.id: indicator for indicator in INDICATORS for clause in indicator.clauses
}

CLAUSE_ALIASES: dict[str, str] = {"4.3.1.2.1": "4.3.1.2"}
"""Citations earlier catalogues made up, with the standard's own: findings recorded under them
still read (and show) as the standard's citation; new findings must use the standard's."""


def indicator_of_clause(clause_id: str) -> Indicator | None:
    """The indicator a clause belongs to, or None for an unknown clause id."""
    return _INDICATOR_OF_CLAUSE.get(clause_id)


def standard_citation(clause_id: str) -> str:
    """The standard's own citation of a clause id as recorded (a made-up one mapped back)."""
    return CLAUSE_ALIASES.get(clause_id, clause_id)


LAYERS: dict[str, Term] = {
    "service_management": Term(zh="服务管理", en="service management"),
    "service_execution": Term(zh="服务执行", en="service execution"),
    "customer_feedback": Term(zh="顾客反馈", en="customer feedback"),
}
"""4.4.1.2: the layers an evaluation plan investigates."""

# The seed's 4.4.1.5 reads 观赛现场, a typo of 观察现场 (on-site observation).
METHODS: dict[str, Term] = {
    "document_review": Term(zh="查阅文件和记录", en="document and record review"),
    "staff_interviews": Term(zh="询问工作人员", en="staff interviews"),
    "site_observation": Term(zh="观察现场", en="on-site observation"),
    "customer_visits": Term(zh="访问顾客", en="customer visits"),
}
"""4.4.1.5: the evaluation methods (document survey and on-site survey)."""
