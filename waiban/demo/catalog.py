"""Static facts the demo draws from: offices, units, posts, names, destinations, hosts."""

from waiban.people.models import Rank

# (code, name, level, parent code, sees subordinate cases)
AUTHORITIES = [
    ("450000", "广西壮族自治区外事办公室", "province", None, True),
    ("450100", "南宁市人民政府外事办公室", "city", "450000", False),
    ("450200", "柳州市人民政府外事办公室", "city", "450000", False),
    ("450300", "桂林市人民政府外事办公室", "city", "450000", True),
    ("450321", "阳朔县人民政府外事办公室", "county", "450300", False),
]
PROVINCE_CODE = "450000"

# (key, name, short name for titles, unit level, authority code, USCC prefix, kind, people)
# USCC prefix: 11 = government organ, 12 = public institution, 91 = enterprise (GB 32100).
# fmt: off
UNITS = [
    ("commerce", "广西壮族自治区商务厅", "自治区商务厅", "provincial", "450000", "11", "gov_prov", 48),
    ("education", "广西壮族自治区教育厅", "自治区教育厅", "provincial", "450000", "11", "gov_prov", 14),
    ("science", "广西壮族自治区科学技术厅", "自治区科技厅", "provincial", "450000", "11", "gov_prov", 14),
    ("agri", "广西壮族自治区农业农村厅", "自治区农业农村厅", "provincial", "450000", "11", "gov_prov", 14),
    ("culture", "广西壮族自治区文化和旅游厅", "自治区文化和旅游厅", "provincial", "450000", "11", "gov_prov", 14),
    ("health", "广西壮族自治区卫生健康委员会", "自治区卫生健康委", "provincial", "450000", "11", "gov_prov", 14),
    ("industry", "广西壮族自治区工业和信息化厅", "自治区工业和信息化厅", "provincial", "450000", "11", "gov_prov", 14),
    ("gxu", "广西大学", "广西大学", "provincial", "450000", "12", "university", 18),
    ("hospital", "广西医科大学第一附属医院", "广西医科大学一附院", "provincial", "450000", "12", "hospital", 14),
    ("gxaas", "广西壮族自治区农业科学院", "自治区农科院", "provincial", "450000", "12", "academy", 14),
    ("port", "广西北部湾国际港务集团有限公司", "北部湾港务集团", "provincial", "450000", "91", "enterprise", 14),
    ("nn_commerce", "南宁市商务局", "南宁市商务局", "city", "450100", "11", "gov_city", 14),
    ("nn_invest", "南宁市投资促进局", "南宁市投资促进局", "city", "450100", "11", "gov_city", 12),
    ("nn_hospital", "南宁市第一人民医院", "南宁市第一人民医院", "city", "450100", "12", "hospital", 12),
    ("lz_industry", "柳州市工业和信息化局", "柳州市工信局", "city", "450200", "11", "gov_city", 13),
    ("lz_commerce", "柳州市商务局", "柳州市商务局", "city", "450200", "11", "gov_city", 12),
    ("gl_culture", "桂林市文化广电和旅游局", "桂林市文广旅局", "city", "450300", "11", "gov_city", 13),
    ("gl_agri", "桂林市农业农村局", "桂林市农业农村局", "city", "450300", "11", "gov_city", 12),
    ("ys_office", "阳朔县人民政府办公室", "阳朔县政府办", "county", "450321", "11", "gov_county", 10),
    ("ys_culture", "阳朔县文化广电体育和旅游局", "阳朔县文广体旅局", "county", "450321", "11", "gov_county", 10),
]
# fmt: on
DEMO_UNIT = "commerce"
SECOND_CLERK_UNIT = "nn_commerce"

# Area codes of the people's birthplaces (known to python-stdnum's table).
AREA_CODES = {
    "450000": ["450102", "450103", "450105", "450122", "452601", "450302", "450203"],
    "450100": ["450102", "450103", "450105", "450122"],
    "450200": ["450202", "450203", "450204"],
    "450300": ["450302", "450305", "450321"],
    "450321": ["450321", "450305"],
}
OUTSIDE_AREA_CODES = ["110101", "310104", "440106", "510104"]

# Posts by kind of unit: (post, rank, how many, teaching/research). The first is the head.
_SECTION_STAFF = [
    ("一级主任科员", Rank.SECTION),
    ("三级主任科员", Rank.SECTION),
    ("科员", Rank.OTHER),
]
POSTS = {
    "gov_prov": {
        "head": [("厅长", Rank.BUREAU_FULL)],
        "deputy": [("副厅长", Rank.BUREAU_DEPUTY)],
        "middle": [("{dept}处长", Rank.DIVISION_FULL), ("{dept}副处长", Rank.DIVISION_DEPUTY)],
        "staff": [("{dept}" + p, r) for p, r in _SECTION_STAFF],
        "depts": [
            "办公室",
            "对外贸易处",
            "外国投资管理处",
            "对外经济合作处",
            "国际合作处",
            "口岸处",
            "规划财务处",
        ],
    },
    "gov_city": {
        "head": [("局长", Rank.DIVISION_FULL)],
        "deputy": [("副局长", Rank.DIVISION_DEPUTY)],
        "middle": [("{dept}科长", Rank.SECTION), ("{dept}副科长", Rank.SECTION)],
        "staff": [("{dept}一级科员", Rank.OTHER), ("{dept}科员", Rank.OTHER)],
        "depts": ["办公室", "外经科", "外贸科", "招商科", "综合科"],
    },
    "gov_county": {
        "head": [("主任", Rank.SECTION)],
        "deputy": [("副主任", Rank.SECTION)],
        "middle": [("{dept}股长", Rank.OTHER)],
        "staff": [("{dept}科员", Rank.OTHER)],
        "depts": ["综合", "文旅", "外事"],
    },
    "university": {
        "head": [("校长", Rank.BUREAU_FULL)],
        "deputy": [("副校长", Rank.BUREAU_DEPUTY)],
        "middle": [
            ("{dept}院长", Rank.DIVISION_FULL),
            ("国际合作与交流处处长", Rank.DIVISION_FULL),
        ],
        "staff": [("{dept}教授", Rank.OTHER, True), ("{dept}副教授", Rank.OTHER, True)],
        "depts": ["农学院", "机械工程学院", "化学化工学院", "海洋学院", "外国语学院"],
    },
    "hospital": {
        "head": [("院长", Rank.DIVISION_FULL)],
        "deputy": [("副院长", Rank.DIVISION_DEPUTY)],
        "middle": [("{dept}主任", Rank.SECTION)],
        "staff": [("{dept}主任医师", Rank.OTHER, True), ("{dept}副主任医师", Rank.OTHER, True)],
        "depts": ["心血管内科", "神经外科", "肿瘤科", "感染科", "医务部"],
    },
    "academy": {
        "head": [("院长", Rank.BUREAU_FULL)],
        "deputy": [("副院长", Rank.BUREAU_DEPUTY)],
        "middle": [("{dept}所长", Rank.DIVISION_FULL)],
        "staff": [("{dept}研究员", Rank.OTHER, True), ("{dept}副研究员", Rank.OTHER, True)],
        "depts": ["甘蔗研究所", "水稻研究所", "园艺研究所", "植物保护研究所"],
    },
    "enterprise": {
        "head": [("董事长", Rank.BUREAU_FULL)],
        "deputy": [("总经理", Rank.BUREAU_DEPUTY)],
        "middle": [("{dept}总经理", Rank.OTHER)],
        "staff": [("{dept}经理", Rank.OTHER), ("{dept}业务主管", Rank.OTHER)],
        "depts": ["国际业务部", "港口运营部", "投资发展部", "航运物流部"],
    },
}

# Common surnames, Guangxi's own (覃, 韦, 莫, 蒙, 黎) included, a few compound ones.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾韦覃莫蒙黎陶龙梁农黄卢甘单"
)
COMPOUND_SURNAMES = ["欧阳", "司马", "上官"]
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆峰旭宁龙林洋海东志文斌建国庆春荣"
GIVEN_FEMALE = "芳娜静敏丽艳娟霞燕玲婷雪琳颖倩洁佳慧莉萍红梅兰月晶璐妍菲蓉"

# Destinations: region -> [(ISO code, Chinese name, [cities])]
DESTINATIONS = {
    "asean": [
        ("VN", "越南", ["河内", "胡志明市", "海防", "岘港", "下龙"]),
        ("TH", "泰国", ["曼谷", "清迈", "罗勇"]),
        ("MY", "马来西亚", ["吉隆坡", "槟城", "关丹"]),
        ("SG", "新加坡", ["新加坡"]),
        ("ID", "印度尼西亚", ["雅加达", "泗水"]),
        ("KH", "柬埔寨", ["金边", "西哈努克"]),
        ("LA", "老挝", ["万象", "琅勃拉邦"]),
        ("MM", "缅甸", ["仰光", "曼德勒"]),
        ("PH", "菲律宾", ["马尼拉", "宿务"]),
        ("BN", "文莱", ["斯里巴加湾市"]),
    ],
    "east_asia": [
        ("JP", "日本", ["东京", "大阪", "熊本", "福冈"]),
        ("KR", "韩国", ["首尔", "釜山"]),
        ("HK", "中国香港", ["香港"]),
        ("MO", "中国澳门", ["澳门"]),
    ],
    "europe": [
        ("DE", "德国", ["柏林", "法兰克福", "慕尼黑", "汉堡"]),
        ("FR", "法国", ["巴黎", "里昂", "图卢兹"]),
        ("GB", "英国", ["伦敦", "曼彻斯特", "爱丁堡"]),
        ("IT", "意大利", ["米兰", "罗马", "博洛尼亚"]),
        ("NL", "荷兰", ["阿姆斯特丹", "鹿特丹"]),
        ("ES", "西班牙", ["马德里", "巴塞罗那"]),
        ("HU", "匈牙利", ["布达佩斯"]),
        ("BE", "比利时", ["布鲁塞尔", "安特卫普"]),
        ("CH", "瑞士", ["日内瓦", "苏黎世"]),
        ("RU", "俄罗斯", ["莫斯科", "圣彼得堡"]),
    ],
    "far": [
        ("US", "美国", ["纽约", "旧金山", "洛杉矶", "西雅图"]),
        ("CA", "加拿大", ["温哥华", "多伦多"]),
        ("AU", "澳大利亚", ["悉尼", "墨尔本", "珀斯"]),
        ("NZ", "新西兰", ["奥克兰", "惠灵顿"]),
        ("AE", "阿联酋", ["迪拜", "阿布扎比"]),
        ("KZ", "哈萨克斯坦", ["阿拉木图", "阿斯塔纳"]),
        ("BR", "巴西", ["圣保罗", "里约热内卢"]),
        ("ZA", "南非", ["约翰内斯堡", "开普敦"]),
        ("EG", "埃及", ["开罗"]),
    ],
}
# How often each region is chosen: Guangxi looks to ASEAN first.
REGION_WEIGHTS = {"asean": 5, "east_asia": 2, "europe": 3, "far": 2}
# Round-trip economy air fare per person (CNY) by region.
AIR_FARE = {"asean": 3200, "east_asia": 4500, "europe": 9500, "far": 13000}
# Lodging and meals per person and night (CNY), roughly the MOF standards.
LODGING = {"asean": 700, "east_asia": 1100, "europe": 1300, "far": 1400}
MEALS = {"asean": 250, "east_asia": 400, "europe": 450, "far": 450}

HOSTS = {
    "VN": ["越南工贸部", "越南谅山省人民委员会", "胡志明市投资贸易促进中心", "河内国家大学"],
    "TH": ["泰国商业部", "泰国工业联合会", "朱拉隆功大学"],
    "MY": ["马来西亚投资发展局", "马来西亚中华总商会", "马来亚大学"],
    "SG": ["新加坡企业发展局", "新加坡国立大学", "新加坡中华总商会"],
    "ID": ["印度尼西亚投资部", "印度尼西亚工商会馆"],
    "KH": ["柬埔寨发展理事会", "金边皇家大学"],
    "LA": ["老挝计划与投资部", "老挝国立大学"],
    "MM": ["缅甸投资与公司管理局", "缅甸联邦工商联合会"],
    "PH": ["菲律宾贸工部", "菲律宾大学"],
    "BN": ["文莱经济发展局"],
    "JP": ["日本贸易振兴机构", "熊本县政府", "九州大学"],
    "KR": ["大韩贸易投资振兴公社", "釜山广域市政府", "首尔大学"],
    "HK": ["香港贸易发展局", "香港大学"],
    "MO": ["澳门贸易投资促进局", "澳门大学"],
    "DE": ["德中经济联合会", "巴伐利亚州经济部", "汉堡商会", "慕尼黑工业大学"],
    "FR": ["法国商务投资署", "里昂大学", "法国农业科学研究院"],
    "GB": ["英中贸易协会", "曼彻斯特大学", "伦敦国王学院"],
    "IT": ["意大利对外贸易委员会", "米兰理工大学"],
    "NL": ["鹿特丹港务局", "瓦赫宁根大学"],
    "ES": ["西班牙对外贸易投资局", "巴塞罗那大学"],
    "HU": ["匈牙利外交与对外经济部", "匈牙利投资促进局"],
    "BE": ["比利时瓦隆大区外贸与外国投资署", "安特卫普港务局"],
    "CH": ["世界卫生组织", "苏黎世联邦理工学院"],
    "RU": ["俄罗斯联邦工商会", "莫斯科国立大学"],
    "US": ["美中贸易全国委员会", "加州大学伯克利分校", "华盛顿州农业厅"],
    "CA": ["加拿大中国贸易理事会", "英属哥伦比亚大学"],
    "AU": ["澳大利亚中国工商业委员会", "墨尔本大学", "西澳大利亚州政府"],
    "NZ": ["新西兰贸易发展局", "奥克兰大学"],
    "AE": ["迪拜商会", "阿布扎比投资办公室"],
    "KZ": ["哈萨克斯坦投资局", "阿拉木图市政府"],
    "BR": ["巴西圣保罗州投资促进局", "圣保罗大学"],
    "ZA": ["南非贸工竞争部", "开普敦大学"],
    "EG": ["埃及投资与自由区总局", "开罗大学"],
}

# Title suffix and purpose by task type.
TASKS = {
    "business_talks": (
        ["经贸合作洽谈团", "招商引资推介团", "投资合作考察团"],
        "与{host}开展经贸合作洽谈，推介广西投资环境，对接重点合作项目，跟进中国—东盟自由贸易区3.0版成果落实。",
    ),
    "conference": (
        ["出席国际会议代表团", "出席国际论坛代表团"],
        "应{host}邀请出席国际会议并作主题发言，介绍广西对外开放与区域合作成果，与会各方交流经验。",
    ),
    "training": (
        ["业务培训团", "专题研修团"],
        "参加{host}举办的专题培训，学习相关领域管理经验和先进做法，提升业务能力。",
    ),
    "study": (
        ["学习考察团", "科技合作交流团"],
        "赴{host}考察交流，了解对方在相关领域的做法，商谈合作研究与人员交流事宜。",
    ),
    "other": (
        ["友好交流访问团"],
        "应{host}邀请进行友好访问，落实友好合作备忘录，商谈下一阶段交流计划。",
    ),
}
TASK_WEIGHTS = {"business_talks": 5, "conference": 3, "training": 1, "study": 3, "other": 1}

# One-time correction notices the window sends back.
CORRECTIONS = [
    ("invitation", "邀请函未附中文译文，请补充加盖单位公章的译文。"),
    ("invitation", "邀请函落款无邀请方负责人签字，请提供签字版本。"),
    ("stops", "行程中在第二国停留天数超过规定，请压缩行程或说明理由。"),
    ("budget", "经费预算未注明资金来源科目，请补充预算批复文件。"),
    ("members", "团组人员中有一人任职信息与备案不一致，请核对后更新人员信息。"),
    ("purpose", "出访任务说明过于简略，请写明具体会谈对象和预期成果。"),
]
REVIEW_OPINIONS = [
    "经审核，该团组任务明确，人数、国家数和在外天数符合规定，邀请函真实有效，建议同意。",
    "团组已列入年度因公出访计划，经费来源明确，建议同意。",
    "出访任务与单位职能相符，行程安排紧凑，建议同意。",
]
REFUSAL_OPINIONS = [
    "该团组出访任务与单位职能关联不紧密，实质性内容不足，不予同意。",
    "团组负责人本年度已有出访任务，不符合出访频次规定，不予同意。",
    "邀请方为中介机构，不符合邀请函要求，不予同意。",
]
WITHDRAW_REASONS = ["外方会期调整，本年度不再出访。", "因工作安排变化，取消本次出访。"]
