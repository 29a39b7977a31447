"""A small gazetteer: China's 34 province-level divisions and its main prefecture-level cities.

A glossary file's scope and an article's place are names from this table.
Names are kept in Simplified characters; a name written in Traditional
characters is found through ``script.fold``, which maps both scripts onto one.
A place is named by its short name (天津, 绍兴), its full name (天津市,
绍兴市), its Traditional form (紹興) or its English name (Shaoxing).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.text.script import fold

NATIONAL = "national"


@dataclass(frozen=True)
class Place:
    name: str  # short Simplified name: the key
    english: str
    province: str = ""  # a city's province-level division; "" for a province-level division
    suffix: str = ""  # 省, 市, 自治区, 特别行政区: the full name is name + suffix

    @property
    def chain(self) -> tuple[str, ...]:
        """This place and the division above it, most specific first."""
        return (self.name, self.province) if self.province else (self.name,)


_PROVINCES = """北京 Beijing 市|天津 Tianjin 市|上海 Shanghai 市|重庆 Chongqing 市|河北 Hebei 省|山西 Shanxi 省|
辽宁 Liaoning 省|吉林 Jilin 省|黑龙江 Heilongjiang 省|江苏 Jiangsu 省|浙江 Zhejiang 省|安徽 Anhui 省|福建 Fujian 省|
江西 Jiangxi 省|山东 Shandong 省|河南 Henan 省|湖北 Hubei 省|湖南 Hunan 省|广东 Guangdong 省|海南 Hainan 省|
四川 Sichuan 省|贵州 Guizhou 省|云南 Yunnan 省|陕西 Shaanxi 省|甘肃 Gansu 省|青海 Qinghai 省|台湾 Taiwan 省|
内蒙古 Inner_Mongolia 自治区|广西 Guangxi 自治区|西藏 Xizang 自治区|宁夏 Ningxia 自治区|新疆 Xinjiang 自治区|
香港 Hong_Kong 特别行政区|澳门 Macao 特别行政区"""

# Cities whose name is also a common word or another name (吉林 the province,
# 中山 the person, 通化, 本溪) are left out: a body's mention must mean the city.
_CITIES = """河北: 石家庄 Shijiazhuang, 唐山 Tangshan, 保定 Baoding, 邯郸 Handan, 张家口 Zhangjiakou,
秦皇岛 Qinhuangdao, 廊坊 Langfang, 沧州 Cangzhou, 邢台 Xingtai, 承德 Chengde
山西: 太原 Taiyuan, 大同 Datong, 长治 Changzhi, 运城 Yuncheng
辽宁: 沈阳 Shenyang, 大连 Dalian, 鞍山 Anshan, 抚顺 Fushun, 锦州 Jinzhou, 丹东 Dandong
吉林: 长春 Changchun, 四平 Siping, 延边 Yanbian
黑龙江: 哈尔滨 Harbin, 齐齐哈尔 Qiqihar, 大庆 Daqing, 牡丹江 Mudanjiang, 佳木斯 Jiamusi
江苏: 南京 Nanjing, 苏州 Suzhou, 无锡 Wuxi, 常州 Changzhou, 南通 Nantong, 徐州 Xuzhou, 扬州 Yangzhou,
镇江 Zhenjiang, 盐城 Yancheng, 泰州 Taizhou, 连云港 Lianyungang, 淮安 Huai'an
浙江: 杭州 Hangzhou, 宁波 Ningbo, 温州 Wenzhou, 绍兴 Shaoxing, 嘉兴 Jiaxing, 湖州 Huzhou, 金华 Jinhua,
台州 Taizhou, 衢州 Quzhou, 丽水 Lishui, 舟山 Zhoushan
安徽: 合肥 Hefei, 芜湖 Wuhu, 蚌埠 Bengbu, 安庆 Anqing, 黄山 Huangshan
福建: 福州 Fuzhou, 厦门 Xiamen, 泉州 Quanzhou, 漳州 Zhangzhou, 莆田 Putian
江西: 南昌 Nanchang, 赣州 Ganzhou, 九江 Jiujiang, 景德镇 Jingdezhen, 井冈山 Jinggangshan
山东: 济南 Jinan, 青岛 Qingdao, 烟台 Yantai, 潍坊 Weifang, 淄博 Zibo, 临沂 Linyi, 济宁 Jining, 威海 Weihai
河南: 郑州 Zhengzhou, 洛阳 Luoyang, 开封 Kaifeng, 新乡 Xinxiang, 南阳 Nanyang, 安阳 Anyang
湖北: 武汉 Wuhan, 宜昌 Yichang, 襄阳 Xiangyang, 荆州 Jingzhou, 十堰 Shiyan
湖南: 长沙 Changsha, 株洲 Zhuzhou, 湘潭 Xiangtan, 衡阳 Hengyang, 岳阳 Yueyang
广东: 广州 Guangzhou, 深圳 Shenzhen, 珠海 Zhuhai, 佛山 Foshan, 东莞 Dongguan, 汕头 Shantou, 惠州 Huizhou,
江门 Jiangmen, 湛江 Zhanjiang, 肇庆 Zhaoqing, 韶关 Shaoguan, 梅州 Meizhou
广西: 南宁 Nanning, 桂林 Guilin, 柳州 Liuzhou, 北海 Beihai
海南: 海口 Haikou, 三亚 Sanya
四川: 成都 Chengdu, 绵阳 Mianyang, 宜宾 Yibin, 泸州 Luzhou, 南充 Nanchong
贵州: 贵阳 Guiyang, 遵义 Zunyi, 六盘水 Liupanshui
云南: 昆明 Kunming, 大理 Dali, 丽江 Lijiang, 曲靖 Qujing
西藏: 拉萨 Lhasa, 日喀则 Shigatse
陕西: 西安 Xi'an, 延安 Yan'an, 宝鸡 Baoji, 咸阳 Xianyang, 榆林 Yulin
甘肃: 兰州 Lanzhou, 天水 Tianshui, 酒泉 Jiuquan
青海: 西宁 Xining
宁夏: 银川 Yinchuan
新疆: 乌鲁木齐 Urumqi, 喀什 Kashgar, 伊犁 Ili
内蒙古: 呼和浩特 Hohhot, 包头 Baotou, 鄂尔多斯 Ordos, 赤峰 Chifeng"""


# Districts and new areas that name one municipality (or province) and nothing else, so
# that an article about 南开区 or 滨海新区 is a Tianjin article. They decide detection
# only; a glossary is scoped to the municipality. Names shared by two cities (和平区:
# Tianjin and Shenyang; 通州区: Beijing and Nantong; 江北区, 普陀区, 宝山区, 朝阳区) are
# left out, and so are names that are also words (大港).
_DISTRICTS = """天津: 河西区, 南开区, 河北区, 红桥区, 东丽区, 西青区, 津南区, 北辰区, 武清区, 宝坻区, 宁河区,
静海区, 蓟州区, 滨海新区, 塘沽, 汉沽
北京: 东城区, 西城区, 海淀区, 丰台区, 石景山区, 门头沟区, 房山区, 顺义区, 昌平区, 大兴区, 怀柔区, 平谷区,
密云区, 延庆区, 中关村
上海: 黄浦区, 徐汇区, 长宁区, 静安区, 虹口区, 杨浦区, 闵行区, 嘉定区, 浦东新区, 金山区, 松江区, 青浦区,
奉贤区, 崇明区
重庆: 渝中区, 万州区, 涪陵区, 沙坪坝区, 九龙坡区, 南岸区, 北碚区, 渝北区, 巴南区, 黔江区, 长寿区, 两江新区
河北: 雄安新区"""


def _districts() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in _DISTRICTS.replace(",\n", ", ").splitlines():
        place, names = line.split(": ")
        found.update(dict.fromkeys(names.split(", "), place))
    return found


def _gazetteer() -> dict[str, Place]:
    places: dict[str, Place] = {}
    for item in _PROVINCES.replace("\n", "").split("|"):
        name, english, suffix = item.split()
        places[name] = Place(name, english.replace("_", " "), "", suffix)
    for line in _CITIES.replace(",\n", ", ").splitlines():
        province, cities = line.split(": ")
        for city in cities.split(", "):
            name, english = city.split(" ", 1)
            places[name] = Place(name, english, province, "市")
    return places


PLACES: dict[str, Place] = _gazetteer()
DISTRICTS: dict[str, str] = _districts()  # a district's name → the place it is in
_NAMES: dict[str, str] = {}
for _p in PLACES.values():
    for _form in (_p.name, _p.name + _p.suffix, _p.english.lower(), _p.english.lower().replace("'", "")):
        _NAMES.setdefault(_form, _p.name)
_NAMES["tibet"] = "西藏"
_NAMES["macau"] = "澳门"


def place_named(name: str) -> Place | None:
    """The place ``name`` names, in either script, short or full, or in English; None if unknown."""
    key = name.strip()
    found = _NAMES.get(fold(key)) or _NAMES.get(key.lower())
    return PLACES[found] if found else None


def within(place: str, scope: str) -> bool:
    """Does a term scoped to ``scope`` apply to an article of ``place``? National terms apply everywhere."""
    if scope == NATIONAL:
        return True
    p = PLACES.get(place)
    return p is not None and scope in p.chain


def rank(place: str, scope: str) -> int:
    """How specific ``scope`` is for ``place``: 0 national, 1 the province, 2 the city itself."""
    if scope == NATIONAL:
        return 0
    p = PLACES[place]
    return 2 if p.province and scope == p.name else 1


def label(place: str) -> str:
    """"绍兴 (Shaoxing, 浙江)", "天津 (Tianjin)" or "national"."""
    p = PLACES.get(place)
    if p is None:
        return NATIONAL
    return f"{p.name} ({p.english}, {p.province})" if p.province else f"{p.name} ({p.english})"
