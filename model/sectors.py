"""The plan's six industries plus "other", and the statistical thresholds that depend on them.

Above-designated-size (规模以上) thresholds follow the National Bureau of Statistics rules:
industry and wholesale 2000万元 main-business revenue; most services in the 规上服务业
survey (information and software, leasing and business services, science and technology
services) 1000万元; culture, sports and entertainment 500万元. Finance is not surveyed as
规上服务业; we apply 1000万元 as a documented assumption. The seed industry (现代种业) is
treated as industry because its firms are seed producers and processors.
"""

from __future__ import annotations

SECTORS: tuple[str, ...] = (
    "digital_economy",       # 数字经济
    "modern_finance",        # 现代金融
    "advanced_manufacturing",  # 先进制造 (incl. 生物医药)
    "business_services",     # 商务服务
    "culture_tourism",       # 文化旅游
    "seed_industry",         # 现代种业
    "other",
)
SECTOR_ZH: dict[str, str] = {
    "digital_economy": "数字经济",
    "modern_finance": "现代金融",
    "advanced_manufacturing": "先进制造(含生物医药)",
    "business_services": "商务服务",
    "culture_tourism": "文化旅游",
    "seed_industry": "现代种业",
    "other": "其他",
}
N_SECTORS = len(SECTORS)

# 万元 of annual main-business revenue
ABOVE_SCALE_THRESHOLD: dict[str, float] = {
    "digital_economy": 1000.0,
    "modern_finance": 1000.0,
    "advanced_manufacturing": 2000.0,
    "business_services": 1000.0,
    "culture_tourism": 500.0,
    "seed_industry": 2000.0,
    "other": 1000.0,
}

# 规升强: the plan does not define the "strong" tier. We use annual revenue of at least
# 1亿元 (10000万元), the 亿元级企业 tier in Beijing district statistics: a documented choice.
STRONG_THRESHOLD_WAN = 10000.0


def index(name: str) -> int:
    return SECTORS.index(name)
