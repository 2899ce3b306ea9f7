"""The catalogue a new installation starts with (Chinese, as published to the public).

Legal bases are named generically on purpose: each office checks and completes them (with the
document numbers it applies) in the admin, which makes a new version.
"""

HALL = "外事办公室政务服务大厅（工作日 上午 9:00–12:00，下午 13:30–17:00）"
CONTACT = "外事办公室政务服务窗口，咨询电话以本办公布为准"

CATALOGUE = [
    {
        "code": "official-visit",
        "name": "因公出国（境）任务审批",
        "summary": "各单位组织或派遣人员因公出国（境）执行任务的审批。",
        "legal_basis": "国家和本省关于因公临时出国（境）管理的有关规定；本办因公出国（境）审批工作规程。",
        "conditions": "列入本单位年度因公出国（境）计划；出访任务明确、必要，团组人数、国家和天数符合规定；"
        "经单位负责人审核同意并作出承诺。",
        "materials": "因公出国（境）任务申请表（单位负责人签字盖章）\n邀请函及中文译文\n出访日程安排\n"
        "经费预算及来源说明\n团组人员名单\n单位承诺书",
        "steps": "单位专办员网上填报并提交\n窗口网上预审、受理（材料不全的一次性告知）\n审核\n审批\n"
        "出具任务批件，申请人可在线查询进度",
        "time_limit_days": 10,
        "fees": "不收费",
    },
    {
        "code": "passport",
        "name": "因公护照办理",
        "summary": "经批准出访人员的因公护照（公务护照、因公普通护照）申办、延期和加注。",
        "legal_basis": "《中华人民共和国护照法》及因公护照管理的有关规定。",
        "conditions": "出访任务已获批准；本人无不准出境的情形。",
        "materials": "出国任务批件\n因公护照申请表\n近期免冠证件照片（白底）\n身份证复印件",
        "steps": "提交申请\n证照受理\n制作护照\n领取护照（出访回国后按时交回集中保管）",
        "time_limit_days": 7,
        "fees": "按国家规定标准收取",
    },
    {
        "code": "visa",
        "name": "因公签证代办",
        "summary": "代为向外国驻华使领馆申请因公出访签证。",
        "legal_basis": "我国与有关国家签订的互免签证协定及有关国家的签证规定。",
        "conditions": "已持有效因公护照；出访国家需要办理签证。",
        "materials": "因公护照原件\n签证申请表（按目的国要求）\n邀请函\n近期证件照片\n目的国要求的其他材料",
        "steps": "提交材料\n制作照会\n送使领馆\n领取护照和签证",
        "time_limit_days": 15,
        "fees": "签证费按使领馆标准代收",
    },
    {
        "code": "hk-macao-permit",
        "name": "因公往来港澳通行证及签注",
        "summary": "因公赴香港、澳门特别行政区的通行证和签注办理。",
        "legal_basis": "因公赴港澳管理的有关规定。",
        "conditions": "赴港澳任务已获批准。",
        "materials": "赴港澳任务批件\n因公往来港澳通行证申请表\n近期证件照片\n身份证复印件",
        "steps": "提交申请\n受理审核\n制证及签注\n领取证件（返回后按时交回）",
        "time_limit_days": 7,
        "fees": "按国家规定标准收取",
    },
    {
        "code": "legalisation",
        "name": "领事认证和附加证明书（Apostille）",
        "summary": "对拟送往国外使用的公文书办理领事认证，或对《取消外国公文书认证要求的公约》缔约国使用的文书签发附加证明书。",
        "legal_basis": "《取消外国公文书认证要求的公约》及外交部关于领事认证和附加证明书的有关规定。",
        "conditions": "文书已经公证或由有关机关出具；文书使用国和用途明确。",
        "materials": "领事认证/附加证明书申请表\n经公证或有关机关出具的文书原件\n申请人身份证明复印件\n代办的，委托书及代办人身份证明",
        "steps": "提交申请和文书\n窗口审查\n办理认证或签发附加证明书\n领取",
        "time_limit_days": 5,
        "fees": "按国家规定标准收取",
    },
    {
        "code": "apec-card",
        "name": "APEC商务旅行卡申办",
        "summary": "为符合条件的企业人员申办亚太经合组织商务旅行卡。",
        "legal_basis": "APEC商务旅行卡管理的有关规定。",
        "conditions": "申请企业和人员符合APEC商务旅行卡申办条件；持有有效护照。",
        "materials": "APEC商务旅行卡申请表\n企业营业执照复印件\n申请人护照复印件\n企业在经济体间的商务往来证明\n近期证件照片",
        "steps": "企业提交申请\n外办审核\n报送审批及经济体预审\n制卡发放",
        "time_limit_days": 20,
        "fees": "按国家规定标准收取",
    },
    {
        "code": "foreign-invitation",
        "name": "邀请外国人来华审批",
        "summary": "本地区单位邀请外国人来华进行公务、商务等交流活动的邀请函（确认函）办理。",
        "legal_basis": "《中华人民共和国出境入境管理法》及邀请外国人来华的有关规定。",
        "conditions": "邀请单位具备邀请资格；来华事由真实、明确。",
        "materials": "邀请外国人来华申请表\n被邀请人护照复印件\n来华日程安排\n邀请单位资质证明",
        "steps": "提交申请\n审核\n出具邀请函（确认函）\n被邀请人持邀请函申办签证",
        "time_limit_days": 5,
        "fees": "不收费",
    },
]


def seed_catalogue(ServiceItem, ServiceGuideVersion) -> int:
    """Create the items not yet there (by code); returns how many were added."""
    added = 0
    for order, entry in enumerate(CATALOGUE, start=1):
        item, created = ServiceItem.objects.get_or_create(
            code=entry["code"], defaults={"order": order}
        )
        if not created:
            continue
        values = {k: v for k, v in entry.items() if k != "code"}
        ServiceGuideVersion.objects.create(
            item=item,
            number=1,
            place_and_hours=HALL,
            contact=CONTACT,
            note="初始版本",
            **values,
        )
        added += 1
    return added
