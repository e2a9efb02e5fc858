"""Word lists of `ecpsc demo-data`: cities with their division codes, trade words, industries,
people's names and streets, each with the pinyin an e-mail address needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    """A district of a city and its 6-digit administrative division code (GB/T 2260)."""

    province: str
    city: str
    name: str
    code: str

    @property
    def prefix(self) -> str:
        """The address up to the district, e.g. 广东省广州市天河区 (上海市浦东新区)."""
        return (self.province if self.province != self.city else "") + self.city + self.name


def _districts(province: str, city: str, *pairs: tuple[str, str]) -> list[District]:
    return [District(province, city, name, code) for name, code in pairs]


DISTRICTS: tuple[District, ...] = tuple(
    _districts("北京市", "北京市", ("东城区", "110101"), ("朝阳区", "110105"), ("海淀区", "110108"))
    + _districts(
        "上海市",
        "上海市",
        ("黄浦区", "310101"),
        ("徐汇区", "310104"),
        ("浦东新区", "310115"),
        ("闵行区", "310112"),
    )
    + _districts("天津市", "天津市", ("和平区", "120101"), ("南开区", "120104"))
    + _districts("重庆市", "重庆市", ("渝中区", "500103"), ("江北区", "500105"))
    + _districts(
        "广东省", "广州市", ("越秀区", "440104"), ("天河区", "440106"), ("番禺区", "440113")
    )
    + _districts(
        "广东省", "深圳市", ("福田区", "440304"), ("南山区", "440305"), ("宝安区", "440306")
    )
    + _districts("广东省", "佛山市", ("禅城区", "440604"), ("顺德区", "440606"))
    + _districts(
        "浙江省", "杭州市", ("上城区", "330102"), ("西湖区", "330106"), ("滨江区", "330108")
    )
    + _districts(
        "浙江省",
        "宁波市",
        ("鄞州区", "330212"),
    )
    + _districts(
        "江苏省", "南京市", ("玄武区", "320102"), ("鼓楼区", "320106"), ("江宁区", "320115")
    )
    + _districts("江苏省", "苏州市", ("吴中区", "320506"), ("姑苏区", "320508"))
    + _districts(
        "江苏省",
        "无锡市",
        ("梁溪区", "320213"),
    )
    + _districts("福建省", "福州市", ("鼓楼区", "350102"), ("台江区", "350103"))
    + _districts("福建省", "厦门市", ("思明区", "350203"), ("湖里区", "350206"))
    + _districts(
        "山东省",
        "济南市",
        ("历下区", "370102"),
    )
    + _districts("山东省", "青岛市", ("市南区", "370202"), ("崂山区", "370212"))
    + _districts("四川省", "成都市", ("锦江区", "510104"), ("武侯区", "510107"))
    + _districts("湖北省", "武汉市", ("江汉区", "420103"), ("洪山区", "420111"))
    + _districts("湖南省", "长沙市", ("芙蓉区", "430102"), ("岳麓区", "430104"))
    + _districts("陕西省", "西安市", ("碑林区", "610103"), ("雁塔区", "610113"))
    + _districts(
        "河南省",
        "郑州市",
        ("金水区", "410105"),
    )
    + _districts(
        "安徽省",
        "合肥市",
        ("蜀山区", "340104"),
    )
    + _districts(
        "辽宁省",
        "沈阳市",
        ("和平区", "210102"),
    )
    + _districts(
        "辽宁省",
        "大连市",
        ("中山区", "210202"),
    )
    + _districts(
        "云南省",
        "昆明市",
        ("五华区", "530102"),
    )
    + _districts(
        "广西壮族自治区",
        "南宁市",
        ("青秀区", "450103"),
    )
    + _districts(
        "黑龙江省",
        "哈尔滨市",
        ("南岗区", "230103"),
    )
    + _districts(
        "河北省",
        "石家庄市",
        ("长安区", "130102"),
    )
    + _districts(
        "山西省",
        "太原市",
        ("小店区", "140105"),
    )
    + _districts(
        "江西省",
        "南昌市",
        ("东湖区", "360102"),
    )
)
"""Where the organizations are registered (a sample of real districts and their codes)."""

TRADE_CHARACTERS: tuple[tuple[str, str], ...] = (
    ("华", "hua"),
    ("诚", "cheng"),
    ("恒", "heng"),
    ("泰", "tai"),
    ("鑫", "xin"),
    ("盛", "sheng"),
    ("瑞", "rui"),
    ("祥", "xiang"),
    ("康", "kang"),
    ("达", "da"),
    ("宏", "hong"),
    ("远", "yuan"),
    ("通", "tong"),
    ("信", "xin"),
    ("安", "an"),
    ("德", "de"),
    ("嘉", "jia"),
    ("和", "he"),
    ("兴", "xing"),
    ("旺", "wang"),
    ("顺", "shun"),
    ("利", "li"),
    ("丰", "feng"),
    ("源", "yuan"),
    ("金", "jin"),
    ("天", "tian"),
    ("海", "hai"),
    ("东", "dong"),
    ("方", "fang"),
    ("明", "ming"),
    ("光", "guang"),
    ("正", "zheng"),
    ("新", "xin"),
    ("宇", "yu"),
    ("博", "bo"),
    ("创", "chuang"),
    ("佳", "jia"),
    ("美", "mei"),
    ("优", "you"),
    ("益", "yi"),
    ("中", "zhong"),
    ("联", "lian"),
    ("汇", "hui"),
    ("星", "xing"),
    ("辰", "chen"),
    ("润", "run"),
    ("福", "fu"),
    ("隆", "long"),
    ("昌", "chang"),
    ("荣", "rong"),
    ("悦", "yue"),
    ("腾", "teng"),
    ("飞", "fei"),
    ("科", "ke"),
    ("百", "bai"),
    ("万", "wan"),
    ("家", "jia"),
    ("永", "yong"),
    ("智", "zhi"),
    ("锦", "jin"),
)
"""Characters that make two-character trade names (字号), e.g. 华诚, with their pinyin."""


@dataclass(frozen=True)
class Industry:
    """A line of business: the name's industry word, a GB/T 4754 code, scopes and sites."""

    word: str
    pinyin: str
    code: str
    scopes: tuple[str, ...]
    site_word: str


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "家电服务",
        "jd",
        "O81",
        ("家用电器的售后服务（安装、维修、退换货）", "家用电器的维修及保养服务"),
        "服务网点",
    ),
    Industry(
        "电器销售",
        "dq",
        "F52",
        ("家用电器的销售及售后服务", "厨房电器、生活电器的销售及售后服务"),
        "门店",
    ),
    Industry(
        "汽车销售服务",
        "qc",
        "F52",
        ("乘用车的销售及售后服务（维修、保养、配件供应）", "汽车的销售、维修保养及二手车置换服务"),
        "4S店",
    ),
    Industry(
        "家居",
        "jj",
        "F52",
        ("家具的销售、配送、安装及售后服务", "定制家居的设计、安装及售后服务"),
        "展厅",
    ),
    Industry(
        "通信设备",
        "tx",
        "F52",
        ("移动通信终端的销售及售后服务", "手机及智能穿戴设备的销售、维修服务"),
        "营业厅",
    ),
    Industry(
        "电脑科技",
        "dn",
        "F51",
        ("计算机及办公设备的销售、维修及技术支持服务", "笔记本电脑、打印机的销售及售后服务"),
        "服务站",
    ),
    Industry("电梯工程", "dt", "E49", ("电梯的安装、维修及保养服务",), "维保站"),
    Industry("空调设备", "kt", "O81", ("中央空调及家用空调的安装、维修及清洗服务",), "服务网点"),
    Industry(
        "厨卫电器", "cw", "C38", ("燃气灶、热水器、油烟机的生产、销售及售后服务",), "服务网点"
    ),
    Industry("商贸", "sm", "F52", ("日用百货的销售及售后服务", "数码产品的零售及售后服务"), "门店"),
    Industry("物流", "wl", "G59", ("大件商品的配送、安装及退换货服务",), "配送站"),
    Industry("建材", "jc", "F52", ("卫浴、瓷砖等建材的销售、配送及售后服务",), "门店"),
    Industry("医疗器械", "yl", "F51", ("家用医疗器械的销售、维修及技术支持服务",), "服务中心"),
    Industry("净水科技", "js", "C34", ("净水设备的销售、安装及滤芯更换服务",), "服务网点"),
    Industry("电动车", "ddc", "F52", ("电动自行车的销售及维修服务",), "门店"),
)
"""Lines of business whose after-sales service is certified."""

SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
)
"""Common surnames with their pinyin."""

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("秀英", "xiuying"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀兰", "xiulan"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂英", "guiying"),
    ("建华", "jianhua"),
    ("志强", "zhiqiang"),
    ("海燕", "haiyan"),
    ("晓东", "xiaodong"),
    ("文静", "wenjing"),
    ("子涵", "zihan"),
    ("宇轩", "yuxuan"),
    ("欣怡", "xinyi"),
    ("浩然", "haoran"),
)
"""Common given names with their pinyin."""

STREETS: tuple[str, ...] = (
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "和平路",
    "新华路",
    "长江路",
    "黄河路",
    "滨江大道",
    "科技路",
    "创业大道",
    "工业园路",
    "文化路",
    "世纪大道",
    "东风路",
    "朝阳路",
    "青年路",
    "光明路",
    "学府路",
    "金融街",
    "商业街",
    "振兴路",
    "迎宾大道",
    "府前街",
)
"""Street names found in most Chinese cities."""

BUILDINGS: tuple[str, ...] = ("", "", "", "大厦", "广场", "商务中心", "科技园")
"""What the address number may be followed by (usually nothing)."""
