"""The chemical registration of the demo city (一企一品一码, catalogue S09).

The seed article reports 63 producers, 619 traders, 3 users and 55 chemical/pharma enterprises,
all registered (completion 100%). The safety base demo gives those roles to the enterprises'
safety profiles (scaled with ``ctx.scale``); this part registers real hazardous chemicals for
every one of them — each product with its real CAS and UN numbers and GHS hazard classes — and
publishes each product's code, so the completion rate computed from the rows is 100%. A few
products get a chain of scans (production → storage → transport → use).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from jiceng.core.publicpages.services import do_publish
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import scaled
from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan, ScanStage
from jiceng.safety.models import ChemicalRole, SafetyProfile

NATIONAL_HOTLINE = "0532-83889090"  # 国家化学事故应急咨询电话 (NRCC)
# name, CAS, UN, GHS hazard classes, SDS summary
CHEMICALS: dict[str, tuple[str, str, str, list[str], str]] = {
    "methanol": (
        "甲醇",
        "67-56-1",
        "1230",
        ["flammable_liquid", "acute_toxicity", "stot_single"],
        "无色易挥发液体，高度易燃，蒸气与空气可形成爆炸性混合物；吞咽、皮肤接触或吸入有毒，可损害视神经。"
        "远离火种热源，储存于阴凉通风库房；泄漏时切断火源、用砂土吸收；误服立即就医。",
    ),
    "chlorine": (
        "液氯",
        "7782-50-5",
        "1017",
        ["oxidizing_gas", "gas_under_pressure", "acute_toxicity", "skin_corrosion", "eye_damage", "aquatic"],
        "黄绿色有刺激性气味的液化气体，剧毒，助燃；吸入可致肺水肿。钢瓶直立固定、防晒；泄漏时人员向上风向撤离，"
        "用碱液吸收；吸入者迅速移至空气新鲜处并就医。",
    ),
    "ammonia": (
        "液氨",
        "7664-41-7",
        "1005",
        ["flammable_gas", "gas_under_pressure", "acute_toxicity", "skin_corrosion", "eye_damage", "aquatic"],
        "无色有强烈刺激性气味的液化气体，易燃，吸入有毒，对皮肤和眼有腐蚀性。远离火种，防止泄漏；"
        "泄漏时喷雾状水稀释、人员撤离至上风向；皮肤接触用大量清水冲洗。",
    ),
    "sulfuric_acid": (
        "硫酸",
        "7664-93-9",
        "1830",
        ["corrosive_to_metals", "skin_corrosion", "eye_damage"],
        "无色油状液体，强腐蚀性，遇水大量放热。储存于耐酸容器，严禁与碱、还原剂混储；稀释时酸入水；"
        "皮肤接触立即用大量流动清水冲洗至少15分钟并就医。",
    ),
    "hydrochloric_acid": (
        "盐酸",
        "7647-01-0",
        "1789",
        ["corrosive_to_metals", "skin_corrosion", "eye_damage", "stot_single"],
        "无色或微黄色发烟液体，有刺激性气味，强腐蚀性。与碱、金属粉末隔离储存；泄漏时用碱性物质中和；"
        "吸入酸雾者移至空气新鲜处。",
    ),
    "sodium_hydroxide": (
        "氢氧化钠",
        "1310-73-2",
        "1823",
        ["corrosive_to_metals", "skin_corrosion", "eye_damage"],
        "白色固体，强碱，易潮解，溶于水放热，对皮肤和眼有强腐蚀性。密封防潮储存，与酸类隔离；"
        "皮肤接触用大量清水冲洗；误服用水漱口并就医。",
    ),
    "toluene": (
        "甲苯",
        "108-88-3",
        "1294",
        ["flammable_liquid", "skin_corrosion", "reproductive_toxicity", "stot_single", "stot_repeated", "aspiration"],
        "无色透明液体，有芳香气味，高度易燃；吸入可致头晕、麻醉，吞咽并进入呼吸道可能致命。"
        "远离火种，采取防静电措施；泄漏时用砂土吸收，防止流入下水道。",
    ),
    "hydrogen_peroxide": (
        "过氧化氢溶液",
        "7722-84-1",
        "2014",
        ["oxidizing_liquid", "acute_toxicity", "skin_corrosion", "eye_damage"],
        "无色透明液体，强氧化剂，遇有机物、金属杂质可分解放热。储存于阴凉通风处，避光，与可燃物隔离；"
        "皮肤接触用大量清水冲洗。",
    ),
    "nitric_acid": (
        "硝酸",
        "7697-37-2",
        "2031",
        ["oxidizing_liquid", "corrosive_to_metals", "skin_corrosion", "eye_damage"],
        "无色或微黄色发烟液体，强氧化性和腐蚀性，与可燃物接触可引起燃烧。与还原剂、碱类、可燃物隔离储存；"
        "泄漏时用碱性物质中和。",
    ),
    "hydrogen": (
        "氢气",
        "1333-74-0",
        "1049",
        ["flammable_gas", "gas_under_pressure"],
        "无色无味气体，极易燃，与空气可形成爆炸性混合物。钢瓶远离火种热源，防止泄漏，使用防爆设备；"
        "泄漏时切断气源、通风。",
    ),
    "formaldehyde": (
        "甲醛溶液",
        "50-00-0",
        "2209",
        ["acute_toxicity", "skin_corrosion", "eye_damage", "sensitisation", "mutagenicity", "carcinogenicity"],
        "无色有刺激性气味液体，有毒，可致皮肤过敏，可能致癌。密闭操作、局部排风；皮肤接触用大量清水冲洗；"
        "吸入者移至空气新鲜处并就医。",
    ),
    "gasoline": (
        "汽油",
        "86290-81-5",
        "1203",
        ["flammable_liquid", "skin_corrosion", "mutagenicity", "carcinogenicity", "aspiration", "aquatic"],
        "无色至淡黄色易流动液体，极易燃，蒸气比空气重，能在低处扩散。严禁烟火，卸油时静电接地；"
        "泄漏时用砂土覆盖、防止进入下水道；吞咽后不得催吐，立即就医。",
    ),
    "diesel": (
        "柴油",
        "68334-30-5",
        "1202",
        ["flammable_liquid", "skin_corrosion", "carcinogenicity", "stot_repeated", "aspiration", "aquatic"],
        "淡黄色至棕色液体，易燃，吞咽并进入呼吸道可能致命。远离火种热源；泄漏时用砂土吸收；"
        "皮肤接触用肥皂水和清水冲洗。",
    ),
    "lpg": (
        "液化石油气",
        "68476-85-7",
        "1075",
        ["flammable_gas", "gas_under_pressure"],
        "无色气体或液体，极易燃，与空气可形成爆炸性混合物，液体接触可致冻伤。钢瓶直立存放，远离火种；"
        "泄漏时切断气源、禁止一切火源并通风。",
    ),
    "kerosene": (
        "煤油",
        "8008-20-6",
        "1223",
        ["flammable_liquid", "skin_corrosion", "aspiration", "aquatic"],
        "水白色至淡黄色液体，易燃，吞咽并进入呼吸道可能致命。远离火种热源，储存于阴凉通风处；泄漏时用砂土吸收。",
    ),
    "natural_gas": (
        "天然气（压缩的）",
        "8006-14-2",
        "1971",
        ["flammable_gas", "gas_under_pressure"],
        "无色无味气体（加臭），极易燃，与空气可形成爆炸性混合物。储气设施防火防爆，定期检漏；"
        "泄漏时切断气源、禁止明火、加强通风。",
    ),
    "acetylene": (
        "乙炔（溶于介质的）",
        "74-86-2",
        "1001",
        ["flammable_gas", "gas_under_pressure"],
        "无色气体，极易燃，化学性质活泼，可发生爆炸性分解。气瓶直立使用，与氧气瓶间距不小于5米，"
        "远离火种；使用时配回火防止器。",
    ),
    "oxygen": (
        "氧（压缩的）",
        "7782-44-7",
        "1072",
        ["oxidizing_gas", "gas_under_pressure"],
        "无色无味气体，强助燃，与可燃物接触可加剧燃烧。气瓶及阀门严禁沾染油脂，与乙炔等可燃气体分开存放；"
        "防止倾倒、防晒。",
    ),
    "propane": (
        "丙烷",
        "74-98-6",
        "1978",
        ["flammable_gas", "gas_under_pressure"],
        "无色气体，极易燃，与空气可形成爆炸性混合物。远离火种热源，使用防爆电气；泄漏时切断气源并通风。",
    ),
    "ethanol": (
        "乙醇",
        "64-17-5",
        "1170",
        ["flammable_liquid", "eye_damage"],
        "无色透明液体，高度易燃，蒸气与空气可形成爆炸性混合物，可致眼刺激。远离火种热源，密闭储存；泄漏时用砂土吸收。",
    ),
    "acetone": (
        "丙酮",
        "67-64-1",
        "1090",
        ["flammable_liquid", "eye_damage", "stot_single"],
        "无色透明易挥发液体，高度易燃，可致眼刺激、嗜睡或眩晕。远离火种，采取防静电措施，储存于阴凉通风处；"
        "泄漏时用砂土吸收。",
    ),
    "dichloromethane": (
        "二氯甲烷",
        "75-09-2",
        "1593",
        ["skin_corrosion", "eye_damage", "carcinogenicity", "stot_single"],
        "无色透明易挥发液体，有芳香气味，怀疑致癌，高浓度吸入有麻醉作用。密闭操作、加强通风，避免与铝等活泼金属接触；"
        "吸入者移至空气新鲜处。",
    ),
    "ethyl_acetate": (
        "乙酸乙酯",
        "141-78-6",
        "1173",
        ["flammable_liquid", "eye_damage", "stot_single"],
        "无色澄清液体，有果香味，高度易燃，可致眼刺激、嗜睡或眩晕。远离火种，防静电；泄漏时用砂土吸收。",
    ),
    "tetrahydrofuran": (
        "四氢呋喃",
        "109-99-9",
        "2056",
        ["flammable_liquid", "eye_damage", "carcinogenicity", "stot_single"],
        "无色易挥发液体，高度易燃，久置可生成爆炸性过氧化物。避光密闭储存，充氮保护；远离火种；泄漏时用砂土吸收。",
    ),
    "acetonitrile": (
        "乙腈",
        "75-05-8",
        "1648",
        ["flammable_liquid", "acute_toxicity", "eye_damage"],
        "无色透明液体，高度易燃，吞咽、皮肤接触或吸入有害，在体内可代谢为氰化物。密闭操作，远离火种；中毒者立即就医。",
    ),
    "dmf": (
        "N,N-二甲基甲酰胺",
        "68-12-2",
        "2265",
        ["flammable_liquid", "acute_toxicity", "eye_damage", "reproductive_toxicity"],
        "无色液体，易燃，经皮肤吸收有害，可能对生育能力或胎儿造成伤害，损害肝脏。密闭操作、加强通风，"
        "穿戴防护手套；皮肤接触用大量清水冲洗。",
    ),
    "isopropanol": (
        "异丙醇",
        "67-63-0",
        "1219",
        ["flammable_liquid", "eye_damage", "stot_single"],
        "无色透明液体，高度易燃，可致眼刺激、嗜睡或眩晕。远离火种热源，储存于阴凉通风处；泄漏时用砂土吸收。",
    ),
}
ROLE_PRODUCTS: dict[str, list[list[str]]] = {
    # each enterprise of a role registers one of these assortments (taken in turn)
    ChemicalRole.PRODUCER: [
        ["methanol", "formaldehyde", "hydrogen"],
        ["chlorine", "hydrochloric_acid", "sodium_hydroxide"],
        ["ammonia", "nitric_acid"],
        ["sulfuric_acid", "hydrogen_peroxide"],
        ["toluene", "methanol"],
    ],
    ChemicalRole.TRADER: [
        ["gasoline", "diesel"],
        ["gasoline", "diesel", "kerosene"],
        ["lpg"],
        ["natural_gas"],
        ["ethanol", "acetone", "toluene"],
        ["sulfuric_acid", "hydrochloric_acid", "sodium_hydroxide"],
    ],
    ChemicalRole.USER: [["acetylene", "oxygen"], ["ammonia"], ["propane", "oxygen"]],
    ChemicalRole.CHEMICAL_PHARMA: [
        ["ethanol", "acetone", "dichloromethane"],
        ["ethyl_acetate", "tetrahydrofuran"],
        ["acetonitrile", "methanol", "dmf"],
        ["isopropanol", "toluene"],
    ],
}
CHAINS_AT_SCALE_1 = 40  # products with a chain of scans
CARRIERS = ["聊城鲁西危险货物运输有限公司", "莘县通达危化品运输有限公司", "山东聊运物流有限公司"]
SCANNERS = ["王建国", "李明", "张海涛", "刘国庆", "陈磊", "赵志强", "孙卫东", "周涛"]


def build(ctx: Any) -> None:
    if ChemicalProduct.objects.filter(is_demo=True).exists():
        ctx.figures["chemical products"] = "demo already present; nothing added"
        return
    rng = random.Random(f"{ctx.rng.random()}-safety-chemicals")
    today = timezone.localdate()
    profiles = list(
        SafetyProfile.objects.filter(is_demo=True)
        .exclude(chemical_role="")
        .select_related("enterprise", "area")
        .order_by("chemical_role", "id")
    )
    products = build_products(profiles, rng, today)
    publish_codes(products)
    makers = {
        p.enterprise_id for p in profiles if p.chemical_role in (ChemicalRole.PRODUCER, ChemicalRole.CHEMICAL_PHARMA)
    }
    scans = build_scans(ctx, rng, products, makers, today)
    ctx.figures["chemical products registered"] = len(products)
    ctx.figures["chemical product scans"] = scans


def build_products(profiles: list[SafetyProfile], rng: random.Random, today: dt.date) -> list[ChemicalProduct]:
    """Every enterprise with a chemical role registers its assortment (registered within two years)."""
    rows: list[ChemicalProduct] = []
    turn: dict[str, int] = {}
    serial = 0
    for profile in profiles:
        assortments = ROLE_PRODUCTS[profile.chemical_role]
        index = turn.get(profile.chemical_role, 0)
        turn[profile.chemical_role] = index + 1
        enterprise = profile.enterprise
        phone = f"0635-{8200000 + enterprise.pk % 800000:07d}"
        for key in assortments[index % len(assortments)]:
            name, cas, un, hazards, sds = CHEMICALS[key]
            serial += 1
            rows.append(
                ChemicalProduct(
                    enterprise=enterprise,
                    area=enterprise.area,
                    name=name,
                    cas_number=cas,
                    un_number=un,
                    hazard_classes=hazards,
                    emergency_phone=phone if serial % 4 else NATIONAL_HOTLINE,
                    sds_summary=sds,
                    registration_number=f"{enterprise.area.code[:6]}{serial:05d}",
                    registered_on=today - dt.timedelta(days=rng.randint(20, 720)),
                    is_demo=True,
                )
            )
    return do_bulk_create(ChemicalProduct, rows, acting_user=None, comment="demo data")


def publish_codes(products: list[ChemicalProduct]) -> None:
    """Each registered product gets its code through the public-pages engine (``do_publish``)."""
    for product in products:
        do_publish(product, acting_user=None)


def build_scans(ctx: Any, rng: random.Random, products: list[ChemicalProduct], makers: set[int], today: dt.date) -> int:
    """A chain of scans for a few products: production (at a maker) and storage at the enterprise,
    transport by a carrier, use at a customer enterprise."""
    chosen = [p for p in products if p.registered_on <= today - dt.timedelta(days=10)]
    rng.shuffle(chosen)
    customers = sorted({p.enterprise.name for p in products})
    rows: list[ProductScan] = []
    for product in chosen[: scaled(CHAINS_AT_SCALE_1, ctx.scale)]:
        enterprise = product.enterprise.name
        steps = [
            (ScanStage.STORAGE, enterprise, "成品库"),
            (ScanStage.TRANSPORT, rng.choice(CARRIERS), "聊城—莘县危险货物运输线路"),
            (ScanStage.USE, rng.choice(customers), "使用单位仓库"),
        ]
        if product.enterprise_id in makers:
            steps.insert(0, (ScanStage.PRODUCTION, enterprise, "生产装置出料口"))
        when = timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=rng.randint(3, 9)), dt.time(8 + rng.randint(0, 3), 15))
        )
        for stage, org, where in steps:
            rows.append(
                ProductScan(
                    product=product,
                    stage=stage,
                    scanned_at=when,
                    scanner_name=rng.choice(SCANNERS),
                    scanner_org=org,
                    location=where,
                    is_demo=True,
                )
            )
            when += dt.timedelta(hours=rng.randint(4, 30))
    do_bulk_create(ProductScan, rows, acting_user=None, comment="demo data")
    return len(rows)
