"""Controlled vocabularies: fixed lists with zh-TW and English labels.

Contributors may write the id (``hybrid``) or either label (``混合``,
``Hybrid``); the entry keeps the id.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    id: str
    zh: str
    en: str


class Vocabulary:
    def __init__(self, name: str, terms: list[tuple[str, str, str]]):
        self.name = name
        self.terms = [Term(*t) for t in terms]
        self._by_name: dict[str, str] = {}
        for t in self.terms:
            for n in (t.id, t.zh, t.en):
                self._by_name.setdefault(n.casefold(), t.id)
        self._by_id = {t.id: t for t in self.terms}

    def ids(self) -> list[str]:
        return [t.id for t in self.terms]

    def all_names(self) -> list[str]:
        return [n for t in self.terms for n in (t.id, t.zh, t.en)]

    def resolve(self, value: str) -> str | None:
        return self._by_name.get(value.strip().casefold())

    def label(self, term_id: str, lang: str = "zh-TW") -> str:
        t = self._by_id.get(term_id)
        if t is None:
            return term_id
        return t.zh if lang.startswith("zh") else t.en

    def __contains__(self, term_id: str) -> bool:
        return term_id in self._by_id


VISIBILITY = Vocabulary("visibility", [("public", "公開", "Public"), ("internal", "內部", "Internal")])
LANGUAGE = Vocabulary("language", [("zh-TW", "繁體中文", "Traditional Chinese"), ("en", "英文", "English"),
                                   ("ja", "日文", "Japanese"), ("zh-CN", "簡體中文", "Simplified Chinese")])
REGION = Vocabulary("region", [
    ("asia", "亞洲", "Asia"),
    ("oceania", "大洋洲", "Oceania"),
    ("north-america", "北美洲", "North America"),
    ("latin-america", "中南美洲", "Latin America"),
    ("europe", "歐洲", "Europe"),
    ("africa", "非洲", "Africa"),
    ("middle-east", "中東", "Middle East"),
    ("online", "線上", "Online"),
])
MODE = Vocabulary("mode", [("in-person", "實體", "In person"), ("virtual", "線上", "Virtual"),
                           ("hybrid", "混合", "Hybrid")])
PRESENTATION_TYPE = Vocabulary("presentation", [
    ("paper", "論文發表", "Paper"), ("poster", "海報展", "Poster"), ("panel", "座談", "Panel"),
    ("workshop", "工作坊", "Workshop"), ("talk", "演講", "Talk"),
])
COST = Vocabulary("cost", [("free", "免費", "Free"), ("freemium", "部分免費", "Freemium"), ("paid", "付費", "Paid")])
TOOL_CATEGORY = Vocabulary("tool-category", [
    ("professional-organization", "專業組織", "Professional organization"),
    ("partnership", "合作夥伴與姐妹館", "Partnerships and sister libraries"),
    ("catalogue", "書目與目錄", "Catalogues and bibliographic data"),
    ("database", "資料庫", "Databases"),
    ("resource-sharing", "資源共享", "Resource sharing"),
    ("teaching", "教學資源", "Teaching resources"),
    ("outreach", "推廣活動", "Outreach"),
    ("library-system", "圖書館系統", "Library systems"),
    ("open-access", "開放取用", "Open access"),
    ("other", "其他", "Other"),
])
AUDIENCE = Vocabulary("audience", [
    ("children", "兒童", "Children"),
    ("teens", "青少年", "Teens"),
    ("adults", "成人", "Adults"),
    ("seniors", "樂齡長者", "Seniors"),
    ("families", "親子家庭", "Families"),
    ("new-immigrants", "新住民", "New immigrants"),
    ("elementary", "國小學生", "Elementary school students"),
    ("secondary", "中學生", "Secondary school students"),
    ("undergraduates", "大學部學生", "Undergraduates"),
    ("graduates", "研究生", "Graduate students"),
    ("faculty", "教師與研究人員", "Faculty and researchers"),
    ("librarians", "圖書館員", "Librarians"),
    ("general-public", "一般民眾", "General public"),
])
PROGRAM_TYPE = Vocabulary("program-type", [
    ("reading-promotion", "閱讀推廣", "Reading promotion"),
    ("exhibition", "展覽", "Exhibition"),
    ("workshop", "工作坊", "Workshop"),
    ("lecture", "講座", "Lecture"),
    ("book-exchange", "二手書交換", "Book exchange"),
    ("resource-sharing", "資源共享服務", "Resource-sharing service"),
    ("storytelling", "說故事", "Storytelling"),
    ("digital-literacy", "數位素養", "Digital literacy"),
    ("festival", "節慶活動", "Festival"),
    ("other", "其他", "Other"),
])
CURRENCY = Vocabulary("currency", [("TWD", "新臺幣", "New Taiwan dollar"), ("USD", "美元", "US dollar"),
                                   ("EUR", "歐元", "Euro"), ("JPY", "日圓", "Japanese yen")])
BUDGET_BRACKET = Vocabulary("budget-bracket", [
    ("none", "無經費", "No budget"),
    ("under-10k", "1 萬元以下", "Under NT$10,000"),
    ("10k-50k", "1 萬至 5 萬元", "NT$10,000-50,000"),
    ("50k-200k", "5 萬至 20 萬元", "NT$50,000-200,000"),
    ("over-200k", "20 萬元以上", "Over NT$200,000"),
])
MARKETING = Vocabulary("marketing", [
    ("poster", "海報", "Posters"), ("website", "網站", "Website"), ("facebook", "Facebook", "Facebook"),
    ("instagram", "Instagram", "Instagram"), ("line", "LINE", "LINE"), ("newsletter", "電子報", "Newsletter"),
    ("email", "電子郵件", "E-mail"), ("press", "新聞稿", "Press release"), ("radio", "廣播", "Radio"),
    ("word-of-mouth", "口耳相傳", "Word of mouth"), ("other", "其他", "Other"),
])
ATTACHMENT_TYPE = Vocabulary("attachment-type", [
    ("flyer", "文宣海報", "Flyer"), ("proposal", "企劃書", "Proposal"), ("photo", "活動照片", "Photo"),
    ("slides", "簡報", "Slides"), ("handout", "講義", "Handout"), ("worksheet", "學習單", "Worksheet"),
    ("report", "報告", "Report"), ("data", "資料", "Data"), ("other", "其他", "Other"),
])
ACRL_FRAME = Vocabulary("acrl-frame", [
    ("authority", "權威是建構且情境化的", "Authority Is Constructed and Contextual"),
    ("creation", "資訊創造是一種過程", "Information Creation as a Process"),
    ("value", "資訊具有價值", "Information Has Value"),
    ("inquiry", "研究即探究", "Research as Inquiry"),
    ("conversation", "學術即對話", "Scholarship as Conversation"),
    ("exploration", "搜尋即策略性探索", "Searching as Strategic Exploration"),
])
LICENSE = Vocabulary("license", [
    ("CC-BY-4.0", "創用 CC 姓名標示 4.0", "CC BY 4.0"),
    ("CC-BY-SA-4.0", "創用 CC 姓名標示-相同方式分享 4.0", "CC BY-SA 4.0"),
    ("CC-BY-NC-4.0", "創用 CC 姓名標示-非商業性 4.0", "CC BY-NC 4.0"),
    ("CC0-1.0", "CC0 公眾領域貢獻", "CC0 1.0"),
    ("all-rights-reserved", "著作權所有", "All rights reserved"),
])
ORG_TYPE = Vocabulary("organization-type", [
    ("organization", "專業組織", "Professional organization"),
    ("conference", "學術會議", "Conference series"),
])
INSTITUTION_TYPE = Vocabulary("institution-type", [
    ("national", "國家圖書館", "National library"), ("public", "公共圖書館", "Public library"),
    ("academic", "大學圖書館", "Academic library"), ("school", "學校圖書館", "School library"),
    ("special", "專門圖書館", "Special library"), ("consortium", "聯盟", "Consortium"),
    ("association", "學會或協會", "Association"), ("school-of-lis", "圖資系所", "LIS school"),
])
JOB_DIRECTION = Vocabulary("job-direction", [
    ("offered", "徵才", "Position offered"), ("sought", "求職", "Position sought"),
])
EMPLOYMENT_TYPE = Vocabulary("employment-type", [
    ("full-time", "專任", "Full-time"), ("part-time", "兼任", "Part-time"),
    ("contract", "約聘（約用）", "Contract"), ("temporary", "臨時", "Temporary"),
    ("internship", "實習", "Internship"),
])
OFFER_TYPE = Vocabulary("offer-type", [
    ("give", "贈送", "Give away"), ("exchange", "交換", "Exchange"),
    ("sell", "出售", "Sell"), ("wanted", "徵求", "Wanted"),
])
ITEM_CATEGORY = Vocabulary("item-category", [
    ("books", "圖書", "Books"), ("periodicals", "期刊", "Periodicals"),
    ("av-media", "視聽資料", "Audio-visual media"), ("equipment", "設備", "Equipment"),
    ("furniture", "家具", "Furniture"), ("supplies", "用品與耗材", "Supplies"),
    ("other", "其他", "Other"),
])
CONDITION = Vocabulary("condition", [
    ("new", "全新", "New"), ("good", "良好", "Good"), ("fair", "尚可", "Fair"), ("worn", "有明顯使用痕跡", "Worn"),
])
OFFER_STATUS = Vocabulary("offer-status", [("open", "開放中", "Open"), ("taken", "已媒合", "Taken")])
PARTNERSHIP_STATUS = Vocabulary("partnership-status", [("active", "合作中", "Active"), ("ended", "已結束", "Ended")])
AGREEMENT = Vocabulary("agreement", [
    ("formal", "正式協議", "Formal agreement"), ("informal", "非正式合作", "Informal"),
])
