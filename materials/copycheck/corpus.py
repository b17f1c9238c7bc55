# ruff: noqa: E501  (tables and sentence frames of Chinese text read better unwrapped)
"""Synthetic 对照检查材料 for the evaluation set and the benchmark.

Every material is written independently: sentences are put together from many small
interchangeable parts, with the names, places, numbers and dates a real material carries
("具体到事、到门、到人"), so that two generated materials share no long run of text except
the campaign's stock phrases — which they use as freely as real ones do. Copies are then
made on purpose (``copy_exact``, ``copy_edited``, ``copy_reordered``), so the evaluation
knows exactly which passages were copied from where.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from materials import sections

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
PLACE = "东西南北前后新老大小上下高低长安平和兴庆丰城关柳杨李王张马陈刘赵黄集庄营屯桥河湾岗坡店寨铺口堂湖山林泉石岭沟台寺园"
PLACE_SUFFIX = ["镇", "乡", "村", "社区", "街道", "办事处"]
DEPARTMENTS = [
    "教育局",
    "卫生局",
    "民政局",
    "人社局",
    "国土资源局",
    "住建局",
    "交通运输局",
    "水利局",
    "农业局",
    "林业局",
    "环保局",
    "信访局",
    "财政局",
    "发改委",
    "工信委",
    "商务局",
    "文广新局",
    "安监局",
    "食药监局",
    "城管局",
    "公安局",
    "司法局",
    "审计局",
    "统计局",
    "扶贫办",
    "房管局",
    "规划局",
    "粮食局",
    "畜牧局",
]
AREAS = [
    "城区",
    "农村",
    "乡镇",
    "社区",
    "县城",
    "开发区",
    "山区",
    "库区",
    "老城区",
    "新区",
    "城中村",
    "集镇",
    "移民村",
    "工业园区",
]
ISSUES = [
    "征地补偿",
    "拆迁安置",
    "低保评定",
    "集中供暖",
    "自来水供应",
    "危房改造",
    "医保报销",
    "学校择校",
    "客运班线",
    "道路硬化",
    "垃圾清运",
    "工资拖欠",
    "环评审批",
    "企业融资",
    "军人安置",
    "残疾人补贴",
    "窗口服务",
    "土地流转",
    "校车接送",
    "河道治理",
    "市场改造",
    "停车管理",
    "食品监管",
    "棚户区改造",
    "卫生院建设",
    "集体经济",
    "农田水利",
    "路灯维修",
    "污水处理",
    "养老服务",
    "幼儿园入园",
    "户籍办理",
    "房产证办理",
    "宅基地审批",
    "林权改革",
    "扶贫资金",
    "电网改造",
    "文化广场",
    "公厕改造",
    "治安防控",
]
TOPICS = [
    "征地拆迁补偿",
    "农村低保评定",
    "城区集中供暖",
    "老旧小区供水",
    "农村危房改造",
    "新农合报销",
    "义务教育择校",
    "城乡客运班线",
    "农村道路硬化",
    "垃圾清运处理",
    "农民工工资拖欠",
    "企业环评审批",
    "小微企业融资",
    "退役军人安置",
    "残疾人补贴发放",
    "便民服务大厅窗口",
    "土地流转纠纷",
    "乡村学校校车",
    "河道采砂整治",
    "农贸市场改造",
    "城区停车难",
    "食品小作坊监管",
    "棚户区改造安置",
    "基层卫生院人员短缺",
    "村级集体经济",
    "高标准农田建设",
]
ACTIVITIES = ["下乡调研", "蹲点走访", "检查督导", "入户走访", "现场办公", "座谈交流", "接访群众", "调研督查"]
MEETINGS = ["工作推进会", "专题调度会", "现场观摩会", "动员部署会", "座谈会", "汇报会", "培训会", "联席会议"]
VERBS_WEAK = [
    "满足于开会部署",
    "停留在文件传达",
    "习惯于听取汇报",
    "习惯于批转交办",
    "满足于一般号召",
    "停留在表面",
    "热衷于看材料",
    "满足于层层转发",
    "习惯于发号施令",
    "满足于过得去",
]
CONSEQUENCES = [
    "群众反映强烈",
    "问题久拖未决",
    "群众多次上访",
    "影响了工作进度",
    "群众意见较大",
    "造成了不良影响",
    "错过了最佳时机",
    "增加了基层负担",
    "群众很不满意",
    "至今没有彻底解决",
    "基层干部疲于应付",
]
FEELINGS = [
    "认为",
    "总觉得",
    "存在",
    "有时",
    "思想上",
    "主观上",
    "客观上",
    "不自觉地",
    "在一些时候",
    "遇到难题时",
]
ATTITUDES = [
    "有畏难情绪",
    "有松劲心理",
    "存在“差不多”思想",
    "有“求稳怕乱”心态",
    "有“歇歇脚”想法",
    "有“船到码头车到站”想法",
    "怕担责任",
    "怕得罪人",
    "满足于现状",
    "缺乏攻坚克难的勇气",
]
EXTRAVAGANT = [
    "接待规格超出规定",
    "陪餐人数超过标准",
    "公务用车使用不规范",
    "办公用房面积超标",
    "节日期间收受土特产",
    "考察学习安排游览项目",
    "会议用餐标准偏高",
    "参加私人宴请",
    "使用公款购买烟酒",
    "出差住宿超标准",
]
OPENERS = ["比如，", "例如，", "其中，", "特别是", "去年", "今年以来，", "有一次，", "典型的是，", "如"]
REPEATS = ["是转发上级文件", "照搬照转", "没有结合实际", "只是换了文号", "内容大同小异"]
SEEN = ["看到的多是安排好的点", "听到的多是好话", "看的是示范点", "拿到的是准备好的材料", "没有看到真实情况"]
CHECKS = [
    "没有及时制止",
    "碍于情面没有拒绝",
    "事后才发现",
    "没有严格把关",
    "审核把关不严",
    "对陪同人员没有把关",
]
CITIES = [
    "郑州",
    "南京",
    "杭州",
    "深圳",
    "上海",
    "北京",
    "青岛",
    "厦门",
    "苏州",
    "成都",
    "西安",
    "广州",
    "武汉",
]
CAUSES = {
    "ideals": [
        "理论学习",
        "理想信念",
        "马克思主义理论",
        "中国特色社会主义理论体系",
        "党的创新理论",
        "共产主义信仰",
    ],
    "purpose": ["宗旨意识", "群众观点", "公仆意识", "为民情怀", "群众感情", "服务意识"],
    "party_spirit": ["党性修养", "党性锻炼", "自我要求", "自我改造", "政治定力", "道德修养"],
    "political_discipline": ["政治纪律", "组织纪律", "规矩意识", "制度执行", "廉洁自律", "纪律约束"],
}
CAUSE_TAILS = [
    "有所放松",
    "有所淡化",
    "有所弱化",
    "不够牢固",
    "不够坚定",
    "有所降低",
    "不够自觉",
    "抓得不紧",
    "标准不高",
    "要求不严",
]
CAUSE_SHOWS = [
    "学用结合不够",
    "满足于一知半解",
    "以干代学",
    "碰到具体问题就变形走样",
    "对群众疾苦感受不深",
    "把自己等同于一般干部",
    "以工作忙为由放松学习",
    "对身边的小事小节不够在意",
    "执行制度打折扣",
    "对不良风气抵制不力",
]
MEASURE_VERBS = ["建立", "完善", "落实", "坚持", "推行", "实行", "严格执行", "健全"]
MEASURE_THINGS = [
    "基层联系点制度",
    "领导干部接访下访制度",
    "会议文件精简制度",
    "调研报告质量评估制度",
    "群众来信来访限时办结制度",
    "公务接待清单制度",
    "公车使用登记制度",
    "重大事项督办台账",
    "干部作风评议机制",
    "首问负责和限时办结制度",
    "民生项目公开公示制度",
    "重点工作周调度机制",
]
MEASURE_TAILS = [
    "每月至少{n}天",
    "每季度通报一次",
    "做到件件有回音",
    "确保{m}月底前完成",
    "每半年开展一次评估",
    "由{dept}牵头负责",
    "接受群众监督",
    "纳入年度考核",
    "对照清单逐项销号",
    "年底前形成长效机制",
]
STATEMENT_FACTS = {
    "three_public": [
        "分管范围内“三公”经费{y}年比上年下降{p}%",
        "{y}年公务接待费支出{w}万元，同比下降{p}%",
        "本人{y}年没有因公出国（境），公务接待{n}批次共{w}万元",
        "分管的{dept}{y}年“三公”经费{w}万元，压缩{p}%",
        "分管的{dept}有公务用车{n}辆，{y}年运行费用{w}万元",
        "{y}年{dept}公务接待{n}批次，人均标准控制在{w}元以内",
        "“三公”经费由{dept}统一管理，{y}年{m}月起每季度公开",
        "{y}年以来没有出国（境）任务，国内考察{n}次均经批准",
    ],
    "duty_consumption": [
        "{y}年本人职务消费{w}千元，均按规定报销",
        "无超标准职务消费，通讯费、交通费按{city}标准报销",
        "没有用公款报销个人费用，{y}年差旅费{w}千元",
        "{y}年在{place}等地出差{n}次，食宿均按标准",
        "手机话费每月{w}元由个人承担，没有职务消费问题",
        "{y}年{m}月参加{city}培训{n}天，费用按规定结算",
        "职务消费由{dept}统一报账，{y}年没有超支",
    ],
    "favor_consumption": [
        "{y}年春节期间退还{dept}送来的土特产{n}份",
        "家中婚丧事宜{n}次，均按规定报告，未收受礼金",
        "{y}年{m}月女儿结婚，只请了{n}桌亲友，没有收受礼金",
        "逢年过节没有给上级领导送礼，{y}年退回购物卡{n}张",
        "{y}年父亲去世，丧事从简，婉拒了{place}干部的吊唁礼金",
        "同学聚会{n}次，费用均为AA制",
        "{y}年{m}月乔迁新居，没有办酒席",
    ],
    "official_cars": [
        "本人使用的公务用车为{y}年购置的{car}，排量符合规定",
        "按规定使用公务用车，{y}年行驶{w}千公里，没有公车私用",
        "{y}年{m}月起不再配备专车，公务出行使用{dept}车辆",
        "{y}年下乡{n}次均乘坐{car}，没有公车私用",
        "周末回{city}探亲{n}次，均乘坐公共交通",
        "单位{car}一辆由{dept}统一调度，本人没有固定用车",
        "{y}年{m}月公车改革后，本人用车{n}次均有登记",
    ],
    "office_housing": [
        "办公用房面积{a}平方米，{y}年已按规定腾退{n}平方米",
        "本人在{place}有住房一套，面积{a}平方米",
        "现住{dept}集资房一套，{a}平方米，没有其他住房",
        "办公室{a}平方米，{y}年{m}月调整后符合标准",
        "{y}年{m}月与其他{n}名同志合用办公室",
        "家住{city}的住房系{y}年按揭购买，面积{a}平方米",
        "在{place}周转房住了{n}年，{y}年已退回",
    ],
    "family_business": [
        "配偶在{place}中学任教，子女在{city}就读",
        "配偶在{dept}工作，子女在{city}{job}",
        "配偶退休在家，子女在{city}{job}，均未经商办企业",
        "配偶{job2}，子女在{place}上学，家属没有经商办企业",
        "儿子{y}年{job}，儿媳在{city}工作，亲属中没有人在本县承揽工程",
        "弟弟在{place}开了一家{shop}，与本人分管工作无关",
        "女儿{age}岁，在{city}{job}，配偶{job2}",
    ],
}
STATEMENT_HEADS = [
    "",
    "",
    "经自查，",
    "需要说明的是，",
    "关于这方面，",
    "如实说明：",
    "对照规定检查，",
    "经认真核对，",
    "据实报告，",
]
STATEMENT_TAILS = [
    "",
    "",
    "，特此说明",
    "，如有不实愿承担责任",
    "，已在班子会上作了说明",
    "，欢迎群众监督",
    "，有据可查",
    "，账目清楚",
]
SHOPS = ["小超市", "饭店", "农资店", "修车铺", "服装店", "五金店", "药店", "照相馆"]
CARS = ["桑塔纳", "帕萨特", "捷达", "伊兰特", "凯美瑞", "别克", "长城皮卡", "依维柯", "富康", "宝来"]
JOBS = ["读大学", "读研究生", "参军", "在企业打工", "当教师", "考上公务员", "当医生", "上高中"]
JOBS2 = ["在乡卫生院当护士", "在县医院工作", "务农", "在银行工作", "在供销社上班", "没有工作"]
# Phrases every material uses — from the seeds and from common usage. Independent texts share
# these naturally; they must never be reported as copied.
STOCK_SENTENCES = [
    "认真贯彻“照镜子、正衣冠、洗洗澡、治治病”的总要求",
    "以为民务实清廉为主题",
    "对照“三严三实”要求",
    "坚决反对形式主义、官僚主义、享乐主义和奢靡之风",
    "能够在思想上政治上行动上同党中央保持高度一致",
    "严格落实中央八项规定精神",
    "以整风精神开展批评和自我批评",
    "深入学习贯彻习近平总书记系列重要讲话精神",
    "以理论理想、党章党纪、民心民声、先辈先进为镜",
    "学习弘扬焦裕禄精神",
    "做到整改有目标、推进有措施、落实有责任、完成有时限",
    "切实增强宗旨意识和群众观念",
    "密切党同人民群众的血肉联系",
    # Not in any list: common ground only because many materials use them.
    "把群众满意作为检验工作成效的根本标准",
    "时刻把群众的冷暖安危放在心上",
    "把学习教育、查摆问题、整改落实贯穿始终，确保活动取得群众满意的实效",
    "坚持边学边查边改，以实际行动取信于民",
    "自觉接受党组织和广大群众的监督",
]


ADVERBS = ["", "", "", "", "切实", "进一步", "认真", "着力", "重点", "及时", "尽快", "主动", "始终", "真正"]
RESULT_HEADS = ["结果", "以致", "导致", "使得", "造成", "最后", "后来", "到现在", "至今", "因此"]
RESULT_TAILS = [
    "群众反映强烈",
    "问题久拖未决",
    "群众多次上访",
    "影响了工作进度",
    "群众意见较大",
    "造成了不良影响",
    "错过了最佳时机",
    "增加了基层负担",
    "群众很不满意",
    "没有彻底解决",
    "基层干部疲于应付",
    "群众有怨言",
    "项目迟迟不能开工",
    "工作被动",
    "群众来回跑了多趟",
    "上级通报批评",
    "媒体曝光",
    "多次被督办",
    "矛盾越积越多",
    "群众得不到实惠",
]
ATTITUDE_HEADS = ["有", "存在", "产生了", "多少有些", "一度有", "时常有", "还有"]
ATTITUDE_TAILS = [
    "畏难情绪",
    "松劲心理",
    "“差不多”思想",
    "“求稳怕乱”心态",
    "“歇歇脚”想法",
    "“船到码头车到站”想法",
    "怕担责任的心理",
    "怕得罪人的顾虑",
    "满足于现状的想法",
    "等靠要思想",
    "厌战情绪",
    "“多一事不如少一事”的想法",
    "“守摊子”思想",
    "“过得去”心态",
    "推脱心理",
    "侥幸心理",
]
# Each author words things his own way: a material picks one variant of each group (and now
# and then another), so that two materials built on the same sentence frame still differ.
SYNONYMS = [
    ["群众", "老百姓", "人民群众", "百姓"],
    ["问题", "事情", "难题"],
    ["没有", "未", "没"],
    ["解决", "处理好", "办结", "落实"],
    ["反映", "提出", "反应"],
    ["分管的", "负责的", "我分管的", "分管"],
    ["只有", "仅有", "才", "只"],
    ["督办", "督促", "过问", "跟进"],
    ["基层", "下面", "一线", "乡镇"],
    ["调研", "调查研究", "调查", "走访"],
    ["检查", "查看", "巡查", "检查指导"],
    ["认为", "觉得", "以为", "总认为"],
    ["满足于", "习惯于", "停留于", "只满足于"],
    ["部门", "单位", "科室"],
    ["本人", "我", "自己", "我本人"],
    ["以来", "以后", "起", "开始"],
    ["严格", "从严", "认真", "严肃"],
    ["每月", "每个月", "按月", "每月份"],
    ["每季度", "每个季度", "按季度", "一季度"],
    ["确保", "保证", "力争", "争取"],
    ["年底前", "年内", "今年底前", "12月底前"],
    ["牵头", "负责", "主抓", "统筹"],
    ["规定", "要求", "制度"],
    ["组织", "安排", "举办", "开展"],
    ["召开", "开", "举行", "主持"],
    ["涉及", "牵涉", "关系到", "影响"],
    ["实地", "现场", "当面", "亲自"],
    ["针对", "围绕", "对", "聚焦"],
    ["建立", "建起", "制定", "出台"],
    ["完善", "健全", "改进", "规范"],
    ["深入", "到", "下到", "走进"],
    ["形成", "建成", "固化为", "变成"],
    ["其中", "当中", "里面", "里头"],
    ["花费", "花了", "支出", "用去"],
    ["接待", "招待", "陪同"],
    ["标准", "规格", "档次"],
]
# Only words of two characters or more are replaced (one character is part of too many words).
_SYNONYM_OF = {word: number for number, group in enumerate(SYNONYMS) for word in group if len(word) >= 2}
_SYNONYM_PATTERN = re.compile("|".join(sorted(_SYNONYM_OF, key=len, reverse=True)))
THING_WHO = [
    "领导干部",
    "班子成员",
    "机关干部",
    "窗口单位",
    "分管部门",
    "乡镇干部",
    "驻村干部",
    "科室负责人",
    "党员干部",
    "县级干部",
]
THING_WHAT = [
    "联系群众",
    "接访下访",
    "蹲点调研",
    "限时办结",
    "首问负责",
    "公开承诺",
    "结对帮扶",
    "民情恳谈",
    "走访慰问",
    "作风评议",
    "述职述廉",
    "问题销号",
    "督查问责",
    "服务承诺",
    "一线工作",
]
THING_FORM = ["制度", "机制", "办法", "台账", "清单", "长效机制", "考核办法", "工作规程"]


T = TypeVar("T")


class Writer:
    """Writes independent materials from a random source."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, options: Sequence[T]) -> T:
        return self.r.choice(options)

    def place(self) -> str:
        return self.pick(PLACE) + self.pick(PLACE) + self.pick(PLACE_SUFFIX)

    def person(self) -> str:
        return self.pick(SURNAMES) + self.pick("某") + ("同志" if self.r.random() < 0.5 else "")

    def date(self) -> str:
        return f"{self.r.choice([2012, 2013, 2014])}年{self.r.randint(1, 12)}月"

    def n(self, low: int = 2, high: int = 60) -> int:
        return self.r.randint(low, high)

    def new_style(self) -> None:
        self.style = [self.r.choice(group) for group in SYNONYMS]

    def styled(self, text: str) -> str:
        """The text in this author's words (a sentence frame is never written twice the same)."""

        def word(match: re.Match[str]) -> str:
            group = _SYNONYM_OF[match.group(0)]
            return self.r.choice(SYNONYMS[group]) if self.r.random() < 0.25 else self.style[group]

        return _SYNONYM_PATTERN.sub(word, text)

    def adv(self) -> str:
        return self.pick(ADVERBS)

    def topic(self) -> str:
        if self.r.random() < 0.3:
            return self.pick(TOPICS)
        return self.pick(AREAS) + self.pick(ISSUES)

    def dept(self) -> str:
        return self.pick(["", "县", "市", "区"]) + self.pick(DEPARTMENTS)

    def consequence(self) -> str:
        return (
            self.pick(RESULT_HEADS) + self.pick(RESULT_TAILS)
            if self.r.random() < 0.6
            else self.pick(CONSEQUENCES)
        )

    def attitude(self) -> str:
        return (
            self.pick(ATTITUDE_HEADS) + self.pick(ATTITUDE_TAILS)
            if self.r.random() < 0.6
            else self.pick(ATTITUDES)
        )

    def thing(self) -> str:
        if self.r.random() < 0.3:
            return self.pick(MEASURE_THINGS)
        return self.pick(THING_WHO) + self.pick(THING_WHAT) + self.pick(THING_FORM)

    def stock(self) -> str:
        return self.pick(STOCK_SENTENCES)

    def maybe_stock(self, chance: float = 0.35) -> str:
        return self.stock() + "，" if self.r.random() < chance else ""

    # --- sentences ------------------------------------------------------------------
    # Fixed wording between two random parts is kept short (a real author phrases each
    # sentence his own way), so independent materials share only short runs and stock phrases.

    def opener(self) -> str:
        return self.pick(OPENERS) if self.r.random() < 0.4 else ""

    def formalism(self) -> str:
        options = [
            lambda: (
                f"{self.date()}以来{self.pick(ACTIVITIES)}{self.n()}次，到{self.place()}"
                f"{self.pick(['真正蹲下来', '住下来', '沉下去'])}{self.pick(['解剖问题的', '摸清情况的', '解决问题的'])}"
                f"只有{self.n(1, 5)}次"
            ),
            lambda: (
                f"分管的{self.dept()}{self.pick(['上半年', '去年', '今年以来', '一季度'])}印发文件"
                f"{self.n(20, 90)}件，{self.pick(['其中', '有'])}{self.n(5, 30)}件{self.pick(REPEATS)}"
            ),
            lambda: (
                f"{self.pick(['组织召开', '主持召开', '参加'])}{self.pick(MEETINGS)}{self.n(8, 40)}次，"
                f"{self.pick(['有的会议', '个别会议', '最长的一次'])}{self.pick(['开了', '超过', '长达'])}{self.n(2, 5)}小时，"
                f"{self.consequence()}"
            ),
            lambda: (
                f"对{self.place()}{self.topic()}问题{self.pick(VERBS_WEAK)}，{self.opener()}"
                f"{self.pick(['实地督促', '到现场', '专题研究'])}只有{self.n(1, 4)}次"
            ),
            lambda: (
                f"{self.date()}在{self.place()}{self.pick(['检查', '督导', '调研'])}{self.topic()}时，"
                f"{self.pick(['提前通知', '层层陪同', '按既定路线', '只看亮点'])}，{self.pick(SEEN)}"
            ),
        ]
        return self.opener() + self.pick(options)()

    def bureaucratism(self) -> str:
        options = [
            lambda: (
                f"{self.place()}群众反映的{self.topic()}问题，批转{self.dept()}后"
                f"{self.pick(['没有跟踪督办', '一转了之', '没有过问结果'])}，群众{self.n(2, 6)}次"
                f"{self.pick(['来信', '上访', '打电话'])}才解决"
            ),
            lambda: (
                f"{self.pick(['听取汇报', '看材料', '坐办公室'])}多，到{self.place()}"
                f"{self.pick(['面对面接待群众', '直接听意见', '和群众交心'])}少，{self.date()}至今只有{self.n(1, 4)}次"
            ),
            lambda: (
                f"{self.place()}{self.person()}反映{self.topic()}问题，{self.pick(FEELINGS)}"
                f"{self.pick(['认为是基层的事', '推给部门', '没有当回事'])}，{self.consequence()}"
            ),
            lambda: (
                f"{self.dept()}和{self.dept()}在{self.topic()}上推诿扯皮"
                f"{self.n(2, 9)}个月，{self.pick(['本人协调不力', '本人没有及时拍板', '我没有出面协调'])}"
            ),
            lambda: (
                f"{self.pick(['办理', '审批', '办'])}{self.topic()}事项要盖{self.n(5, 20)}个章、"
                f"跑{self.n(3, 9)}个部门，{self.pick(FEELINGS)}{self.attitude()}"
            ),
        ]
        return self.opener() + self.pick(options)()

    def hedonism(self) -> str:
        options = [
            lambda: (
                f"{self.pick(['工作中', '平时', '面对新任务'])}{self.pick(['满足于按部就班', '习惯于老办法', '求稳怕变'])}，"
                f"对{self.place()}{self.topic()}{self.attitude()}"
            ),
            lambda: (
                f"{self.pick(FEELINGS)}{self.attitude()}，{self.date()}分管的{self.topic()}"
                f"{self.pick(['工作排名第', '考核列第', '进度排在第'])}{self.n(5, 14)}位"
            ),
            lambda: (
                f"{self.pick(['节假日', '周末', '汛期'])}到{self.place()}{self.pick(['值班检查', '查看', '督导'])}"
                f"{self.n(1, 3)}次，{self.pick(FEELINGS)}{self.attitude()}"
            ),
            lambda: (
                f"对{self.person()}反映的{self.topic()}难题，{self.pick(FEELINGS)}{self.attitude()}，"
                f"拖了{self.n(2, 8)}个月"
            ),
        ]
        return self.opener() + self.pick(options)()

    def extravagance(self) -> str:
        options = [
            lambda: (
                f"{self.date()}到{self.pick(CITIES)}{self.pick(['考察', '学习', '招商'])}时，{self.pick(EXTRAVAGANT)}，"
                f"{self.pick(CHECKS)}"
            ),
            lambda: (
                f"{self.date()}在{self.place()}{self.pick(['检查工作', '调研', '开会'])}时{self.pick(EXTRAVAGANT)}，"
                f"{self.pick(CHECKS)}"
            ),
            lambda: (
                f"分管的{self.dept()}{self.date()}{self.pick(['组织活动', '开会', '接待'])}"
                f"{self.pick(EXTRAVAGANT)}，花费{self.n(2, 30)}万元"
            ),
        ]
        return self.opener() + self.pick(options)()

    def interests(self) -> str:
        return (
            f"{self.place()}{self.topic()}{self.pick(['拖延', '搁置', '推进缓慢', '卡在审批'])}"
            f"{self.n(3, 30)}个月，涉及{self.pick(['群众', '农户', '居民'])}{self.n(20, 900)}户"
        )

    def last_mile(self) -> str:
        return (
            f"{self.place()}{self.pick(['便民服务室', '服务站', '代办点'])}"
            f"{self.pick(['无人值守', '只挂牌子', '经常关门', '资料不全'])}，"
            f"群众办{self.topic()}{self.pick(['平均要跑', '要跑'])}{self.n(2, 6)}趟"
        )

    def cause(self, key: str) -> str:
        parts = [
            f"{self.pick(CAUSES[key])}{self.pick(CAUSE_TAILS)}",
            f"{self.pick(CAUSE_SHOWS)}",
            f"{self.pick(FEELINGS)}{self.attitude()}",
        ]
        self.r.shuffle(parts)
        return "，".join(parts) + "。"

    def measure(self) -> str:
        tail = self.pick(MEASURE_TAILS).format(n=self.n(2, 6), m=self.n(7, 12), dept=self.dept())
        return (
            f"{self.pick(MEASURE_VERBS)}{self.thing()}，{self.adv()}针对{self.topic()}"
            f"{self.pick(['等问题', '问题', '中的难点'])}，{self.pick(['到', '深入', '每月到'])}{self.place()}"
            f"{self.pick(ACTIVITIES)}，{tail}"
        )

    def statement(self, key: str) -> str:
        return self.pick(STATEMENT_HEADS) + self.statement_fact(key) + self.pick(STATEMENT_TAILS)

    def statement_fact(self, key: str) -> str:
        return self.pick(STATEMENT_FACTS[key]).format(
            y=self.r.choice([2012, 2013, 2014]),
            m=self.n(1, 12),
            n=self.n(1, 9),
            p=self.n(5, 40),
            w=self.n(3, 90),
            a=self.n(12, 140),
            place=self.place(),
            city=self.pick(CITIES),
            dept=self.dept(),
            car=self.pick(CARS),
            job=self.pick(JOBS),
            job2=self.pick(JOBS2),
            shop=self.pick(SHOPS),
            age=self.n(18, 35),
        )

    def paragraph(self, make: Any, count: int) -> str:
        return "；".join(self.styled(make()) for _ in range(count)) + "。"

    # --- a whole material -------------------------------------------------------------

    def material(self, with_body_parts: bool = False, size: float = 1.0) -> dict[str, Any]:
        """A complete content dict; ``size`` scales the number of sentences."""
        content = sections.empty_content(with_body_parts)
        self.new_style()

        def count(low: int, high: int) -> int:
            return max(1, round(self.r.randint(low, high) * size))

        content["discipline"] = (
            self.maybe_stock(0.8)
            + self.maybe_stock(0.5)
            + self.paragraph(lambda: self.pick([self.formalism, self.bureaucratism])(), count(1, 2))
        )
        makers = {
            "formalism": self.formalism,
            "bureaucratism": self.bureaucratism,
            "hedonism": self.hedonism,
            "extravagance": self.extravagance,
            "interests": self.interests,
            "last_mile": self.last_mile,
        }
        for key, _label in sections.PROBLEM_PARTS:
            if key in dict(sections.BODY_PARTS) and not with_body_parts:
                continue
            part = content["winds"][key] if key in dict(sections.WINDS) else content[key]
            part["text"] = self.maybe_stock(0.4) + self.paragraph(makers[key], count(1, 2))
            part["examples"] = [
                {"key": f"e{key[:3]}{i}", "text": self.styled(makers[key]()) + "。"}
                for i in range(count(2, 4))
            ]
        for key in CAUSES:
            content["causes"][key] = self.maybe_stock(0.3) + "".join(
                self.styled(self.cause(key)) for _ in range(count(1, 3))
            )
        keys = [p.key for p in sections.problems(content)]
        content["measures"] = {
            "text": self.maybe_stock(0.9) + self.maybe_stock(0.5) + self.styled(self.measure()) + "。",
            "items": [
                {"key": f"m{i}", "text": self.styled(self.measure()) + "。", "answers": keys[i::4]}
                for i in range(count(3, 5))
            ],
        }
        for key in STATEMENT_FACTS:
            content["statements"][key] = self.styled(self.statement(key)) + "。"
        content["other"] = self.maybe_stock(0.5) + self.maybe_stock(0.3)
        return content

    def model_text(self, size: float = 1.0) -> str:
        """A "范文" circulating online: a whole material as plain text."""
        text, _spans = _document(self.material(self.r.random() < 0.5, size))
        return text


def _document(content: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    from materials.copycheck.texts import material_document

    return material_document(content)


# --- making copies -------------------------------------------------------------------------

_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_HALF_PUNCT = {"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")", "“": '"', "”": '"'}
_FILLER = "的了和与及在对把为将其这那各项要能会就都也还又并"


def sentences(text: str) -> list[str]:
    """Split a text into sentences (keeping their end marks), dropping very short ones."""
    found, current = [], ""
    for ch in text:
        current += ch
        if ch in "。；！？\n":
            if len(current.strip()) >= 8:
                found.append(current.strip())
            current = ""
    if len(current.strip()) >= 8:
        found.append(current.strip())
    return found


def excerpt(r: random.Random, text: str, low: int, high: int) -> str:
    """Consecutive sentences of ``text`` adding up to between ``low`` and ``high`` characters."""
    parts = sentences(text)
    for _attempt in range(20):
        start = r.randrange(len(parts))
        chosen = ""
        for sentence in parts[start:]:
            if len(chosen) + len(sentence) > high:
                break
            chosen += sentence
        if len(chosen) >= low:
            return chosen
    return text[:high]


def copy_edited(r: random.Random, text: str) -> str:
    """A lightly edited copy: punctuation and width changed, spaces added, and about one
    character in 35 replaced, inserted or deleted."""
    out = []
    for ch in text:
        roll = r.random()
        if "\u4e00" <= ch <= "\u9fff" and roll < 1 / 35:
            action = r.random()
            if action < 0.6:
                out.append(r.choice(_FILLER))  # replaced
            elif action < 0.8:
                out.append(ch + r.choice(_FILLER))  # one inserted
            # else deleted
            continue
        if ch in _HALF_PUNCT and r.random() < 0.5:
            out.append(_HALF_PUNCT[ch] if r.random() < 0.7 else "")
        elif ch in _FULL_WIDTH and r.random() < 0.7:
            out.append(_FULL_WIDTH[ch])
        elif ch in "，。" and r.random() < 0.1:
            out.append(ch + " ")
        else:
            out.append(ch)
    return "".join(out)


def copy_reordered(r: random.Random, text: str, low: int, high: int) -> str:
    """Three to five consecutive sentences of ``text``, copied in another order."""
    block = sentences(excerpt(r, text, low, high))
    if len(block) < 2:
        return "".join(block)
    original = list(block)
    while block == original:
        r.shuffle(block)
    return "".join(block)
