"""The questionnaires shipped with the portal (DESIGN.md §3, steps 6, 8 and 10): the
needs survey with the handbook's seven themes, the pre/post training questionnaire
(the same knowledge and self-confidence items before and after) and the evaluation
questionnaire for the end of a pilot. Loaded by a data migration; the loader is
idempotent (a family already present is left as it is)."""

from __future__ import annotations

from typing import Any

# Each question: (code, kind, vi, en, extra) where extra may hold options
# [(code, vi, en[, correct])], required, allow_other, is_top_need, is_knowledge,
# is_confidence, scale labels, number range, show_if=(question code, option code).

SCALE_CONFIDENCE = {
    "scale_min_label_vi": "Hoàn toàn không tự tin",
    "scale_min_label_en": "Not at all confident",
    "scale_max_label_vi": "Rất tự tin",
    "scale_max_label_en": "Very confident",
}
SCALE_SATISFACTION = {
    "scale_min_label_vi": "Rất không hài lòng",
    "scale_min_label_en": "Very dissatisfied",
    "scale_max_label_vi": "Rất hài lòng",
    "scale_max_label_en": "Very satisfied",
}
YES_NO = [("yes", "Có", "Yes"), ("no", "Không", "No")]

NEEDS: dict[str, Any] = {
    "family": "needs-survey",
    "kind": "needs",
    "title_vi": "Phiếu khảo sát nhu cầu thành viên mạng lưới",
    "title_en": "Needs survey of network members",
    "intro_vi": "Kết quả khảo sát được tổng hợp theo từng tỉnh để xây dựng nội dung tập huấn và hội thảo.",
    "intro_en": "Results are aggregated per province to design the trainings and workshops.",
    "sections": [
        (
            "Các khóa tập huấn đã tham gia",
            "Trainings already attended",
            [
                (
                    "attended_training",
                    "single",
                    "Chị đã từng tham gia khóa tập huấn nào về lãnh đạo, giới hoặc hội nhập quốc tế chưa?",
                    "Have you attended any training on leadership, gender or international integration?",
                    {"options": YES_NO, "required": True},
                ),
                (
                    "trainings_attended",
                    "multiple",
                    "Đó là những khóa tập huấn nào?",
                    "Which trainings were they?",
                    {
                        "show_if": ("attended_training", "yes"),
                        "allow_other": True,
                        "options": [
                            ("leadership", "Lãnh đạo, quản lý", "Leadership and management"),
                            ("gender", "Giới và bình đẳng giới", "Gender and gender equality"),
                            ("integration", "Hội nhập quốc tế", "International integration"),
                            ("communication", "Kỹ năng giao tiếp, thuyết trình", "Communication and presentation"),
                            ("digital", "Chuyển đổi số", "Digital transformation"),
                        ],
                    },
                ),
                (
                    "years_leading",
                    "number",
                    "Chị đã giữ vị trí lãnh đạo, quản lý được bao nhiêu năm?",
                    "For how many years have you held a leadership or management position?",
                    {"number_min": 0, "number_max": 60},
                ),
            ],
        ),
        (
            "Khó khăn và phẩm chất cần có",
            "Obstacles and qualities needed",
            [
                (
                    "obstacles",
                    "multiple",
                    "Những khó khăn chị gặp phải để được thăng tiến và hoàn thành tốt nhiệm vụ lãnh đạo?",
                    "What obstacles do you face to promotion and to doing the leadership job well?",
                    {
                        "required": True,
                        "allow_other": True,
                        "options": [
                            ("stereotypes", "Định kiến giới", "Gender stereotypes"),
                            ("family", "Gánh nặng công việc gia đình", "Family and care workload"),
                            ("training", "Thiếu cơ hội đào tạo, bồi dưỡng", "Few training opportunities"),
                            ("network", "Thiếu mạng lưới hỗ trợ, kết nối", "No support network"),
                            ("language", "Hạn chế về ngoại ngữ", "Limited foreign languages"),
                            ("confidence", "Thiếu tự tin", "Lack of self-confidence"),
                        ],
                    },
                ),
                (
                    "qualities",
                    "multiple",
                    "Những phẩm chất cần có đối với phụ nữ làm lãnh đạo trong bối cảnh hội nhập quốc tế?",
                    "Which qualities does a woman leader need in international integration?",
                    {
                        "allow_other": True,
                        "options": [
                            ("confident", "Tự tin, bản lĩnh", "Confidence and resolve"),
                            ("languages", "Ngoại ngữ", "Foreign languages"),
                            ("knowledge", "Hiểu biết về hội nhập quốc tế", "Knowledge of international integration"),
                            ("diplomacy", "Kỹ năng giao tiếp đối ngoại", "Diplomatic communication skills"),
                            ("innovation", "Tư duy đổi mới, sáng tạo", "Innovative thinking"),
                            ("digital", "Ứng dụng công nghệ số", "Use of digital technology"),
                        ],
                    },
                ),
                (
                    "confidence_now",
                    "scale",
                    "Chị tự tin đến mức nào trong vai trò lãnh đạo trong bối cảnh hội nhập quốc tế?",
                    "How confident are you in your leadership role in the context of international integration?",
                    dict(SCALE_CONFIDENCE),
                ),
            ],
        ),
        (
            "Nhu cầu đào tạo và hỗ trợ",
            "Training and support wanted",
            [
                (
                    "skills_wanted",
                    "multiple",
                    "Những kiến thức, kỹ năng chị mong muốn được trang bị thêm "
                    "để trở thành nhà lãnh đạo tự tin hội nhập?",
                    "Which knowledge and skills would you like to gain to become a confident leader in integration?",
                    {
                        "required": True,
                        "allow_other": True,
                        "is_top_need": True,
                        "options": [
                            (
                                "gender_leadership",
                                "Giới và lãnh đạo trong hội nhập quốc tế và chuyển đổi số",
                                "Gender and leadership in international integration and digital transformation",
                            ),
                            ("self_leadership", "Lãnh đạo bản thân và tầm nhìn cá nhân", "Self-leadership and vision"),
                            ("integration", "Kiến thức hội nhập quốc tế", "International integration knowledge"),
                            ("protocol", "Lễ tân và giao tiếp đối ngoại", "Protocol and diplomatic communication"),
                            ("culture", "Nhạy cảm văn hóa", "Cultural sensitivity"),
                            ("fta", "Các hiệp định thương mại tự do", "Free-trade agreements"),
                            ("presentation", "Kỹ năng thuyết trình, truyền thông", "Presentation and media skills"),
                        ],
                    },
                ),
                (
                    "support_wanted",
                    "multiple",
                    "Những hoạt động hỗ trợ cần có để giúp chị làm tốt vai trò lãnh đạo?",
                    "Which support activities would help you in your leadership role?",
                    {
                        "allow_other": True,
                        "is_top_need": True,
                        "options": [
                            ("trainings", "Tập huấn chuyên đề", "Thematic trainings"),
                            ("inspiration", "Hội thảo chia sẻ kinh nghiệm, truyền cảm hứng", "Inspirational workshops"),
                            ("study_tour", "Học tập kinh nghiệm tại tỉnh khác", "Study tours to other provinces"),
                            ("mentoring", "Kết nối, cố vấn", "Connections and mentoring"),
                            ("information", "Cung cấp thông tin, tài liệu", "Information and materials"),
                        ],
                    },
                ),
            ],
        ),
        (
            "Mạng lưới và địa phương",
            "The network and the province",
            [
                (
                    "network_expectations",
                    "long_text",
                    "Chị mong muốn điều gì khi tham gia mạng lưới?",
                    "What do you expect from the network?",
                    {},
                ),
                (
                    "contribution",
                    "long_text",
                    "Chị có thể đóng góp gì cho địa phương?",
                    "What can you contribute to the province?",
                    {},
                ),
            ],
        ),
    ],
}

KNOWLEDGE = [
    (
        "k_gender_equality",
        "Theo Luật Bình đẳng giới, bình đẳng giới là:",
        "Under the Law on Gender Equality, gender equality means:",
        [
            (
                "equal",
                "Nam, nữ có vị trí, vai trò ngang nhau, được tạo điều kiện và cơ hội phát huy năng lực như nhau",
                "Men and women have equal positions and roles and equal conditions and opportunities",
                True,
            ),
            ("priority", "Phụ nữ được ưu tiên trong mọi trường hợp", "Women take priority in every case", False),
            ("same_work", "Nam và nữ làm những công việc giống hệt nhau", "Men and women do identical work", False),
        ],
    ),
    (
        "k_introductions",
        "Trong nghi thức đối ngoại, khi giới thiệu hai người với nhau, thường giới thiệu:",
        "In diplomatic protocol, when introducing two people, one usually introduces:",
        [
            (
                "junior_first",
                "Người có vị trí thấp hơn với người có vị trí cao hơn trước",
                "The more junior person to the more senior person first",
                True,
            ),
            ("senior_first", "Người có vị trí cao hơn trước", "The more senior person first", False),
            ("any", "Không có nguyên tắc nào", "There is no rule", False),
        ],
    ),
    (
        "k_evfta",
        "Hiệp định EVFTA là hiệp định thương mại tự do giữa Việt Nam và:",
        "EVFTA is the free-trade agreement between Viet Nam and:",
        [
            ("eu", "Liên minh châu Âu", "The European Union", True),
            ("us", "Hoa Kỳ", "The United States", False),
            ("asean", "ASEAN", "ASEAN", False),
        ],
    ),
    (
        "k_culture",
        "Nhạy cảm văn hóa trong giao tiếp quốc tế là:",
        "Cultural sensitivity in international communication means:",
        [
            (
                "respect",
                "Nhận biết và tôn trọng khác biệt văn hóa của đối tác",
                "Recognising and respecting the partner's cultural differences",
                True,
            ),
            ("own_way", "Áp dụng phong tục của mình cho mọi đối tác", "Applying one's own customs to everyone", False),
            ("avoid", "Tránh tiếp xúc với văn hóa khác", "Avoiding other cultures", False),
        ],
    ),
    (
        "k_self_leadership",
        "Lãnh đạo bản thân bắt đầu từ:",
        "Self-leadership starts with:",
        [
            (
                "vision",
                "Xác định giá trị, mục tiêu và tầm nhìn cá nhân",
                "Knowing one's values, goals and personal vision",
                True,
            ),
            ("title", "Chức vụ được giao", "The position one holds", False),
            ("orders", "Sự chỉ đạo của cấp trên", "Instructions from superiors", False),
        ],
    ),
]
CONFIDENCE = [
    (
        "c_speaking",
        "Trình bày, phát biểu trước đối tác quốc tế",
        "Speaking in front of international partners",
    ),
    ("c_protocol", "Tổ chức, tiếp đón đoàn khách quốc tế", "Organising and receiving international delegations"),
    ("c_gender", "Lồng ghép giới trong công việc lãnh đạo", "Mainstreaming gender in leadership work"),
    ("c_digital", "Ứng dụng công nghệ số trong công việc", "Using digital technology at work"),
    ("c_vision", "Xây dựng tầm nhìn và kế hoạch phát triển bản thân", "Building a personal vision and growth plan"),
]

TRAINING: dict[str, Any] = {
    "family": "training-pre-post",
    "kind": "training",
    "title_vi": "Phiếu khảo sát trước và sau tập huấn",
    "title_en": "Pre- and post-training survey",
    "intro_vi": "Cùng một phiếu được điền trước và sau lớp tập huấn để đo lường sự thay đổi.",
    "intro_en": "The same questionnaire is filled before and after the training to measure what changed.",
    "sections": [
        (
            "Kiến thức",
            "Knowledge",
            [
                (code, "single", vi, en, {"required": True, "is_knowledge": True, "options": options})
                for code, vi, en, options in KNOWLEDGE
            ],
        ),
        (
            "Mức độ tự tin",
            "Self-confidence",
            [
                (
                    code,
                    "scale",
                    f"Mức độ tự tin của chị: {vi.lower()}",
                    f"Your confidence: {en.lower()}",
                    {"required": True, "is_confidence": True, **SCALE_CONFIDENCE},
                )
                for code, vi, en in CONFIDENCE
            ],
        ),
        (
            "Ý kiến",
            "Comments",
            [("comments", "long_text", "Ý kiến khác của chị", "Any other comments", {})],
        ),
    ],
}

EVALUATION: dict[str, Any] = {
    "family": "pilot-evaluation",
    "kind": "evaluation",
    "title_vi": "Phiếu đánh giá hoạt động mạng lưới",
    "title_en": "Evaluation of the network's activities",
    "intro_vi": "Ý kiến của chị giúp Trung ương Hội đánh giá mô hình thí điểm và nhân rộng.",
    "intro_en": "Your views help the Central Union evaluate the pilot and replicate it.",
    "sections": [
        (
            "Mức độ hài lòng",
            "Satisfaction",
            [
                (
                    "sat_trainings",
                    "scale",
                    "Chị hài lòng đến mức nào với các lớp tập huấn?",
                    "How satisfied are you with the trainings?",
                    {"required": True, **SCALE_SATISFACTION},
                ),
                (
                    "sat_workshop",
                    "scale",
                    "Chị hài lòng đến mức nào với hội thảo truyền cảm hứng?",
                    "How satisfied are you with the inspirational workshop?",
                    {"required": True, **SCALE_SATISFACTION},
                ),
                (
                    "sat_network",
                    "scale",
                    "Chị hài lòng đến mức nào với sự kết nối trong mạng lưới?",
                    "How satisfied are you with the connections in the network?",
                    {"required": True, **SCALE_SATISFACTION},
                ),
                (
                    "most_useful",
                    "multiple",
                    "Hoạt động nào hữu ích nhất với chị?",
                    "Which activities were most useful to you?",
                    {
                        "allow_other": True,
                        "options": [
                            ("launch", "Lễ ra mắt", "The launch ceremony"),
                            ("trainings", "Các lớp tập huấn", "The trainings"),
                            ("workshop", "Hội thảo truyền cảm hứng", "The inspirational workshop"),
                            ("evaluation", "Hội thảo đánh giá", "The evaluation workshop"),
                        ],
                    },
                ),
                (
                    "continue",
                    "single",
                    "Chị có tiếp tục tham gia mạng lưới không?",
                    "Will you keep taking part in the network?",
                    {
                        "required": True,
                        "options": [*YES_NO, ("unsure", "Chưa chắc chắn", "Not sure")],
                    },
                ),
            ],
        ),
        (
            "Bài học kinh nghiệm",
            "Lessons learned",
            [
                ("achievements", "long_text", "Kết quả nổi bật", "Main achievements", {}),
                ("difficulties", "long_text", "Khó khăn", "Difficulties", {}),
                ("suggestions", "long_text", "Đề xuất cho giai đoạn tới", "Suggestions for the next phase", {}),
            ],
        ),
    ],
}

SHIPPED = [NEEDS, TRAINING, EVALUATION]
QUESTION_FLAGS = (
    "required",
    "allow_other",
    "is_top_need",
    "is_knowledge",
    "is_confidence",
    "scale_min_label_vi",
    "scale_min_label_en",
    "scale_max_label_vi",
    "scale_max_label_en",
    "number_min",
    "number_max",
)


def load_shipped_templates(apps: Any = None) -> int:
    """Create the shipped templates that are missing (version 1 of each family);
    returns how many were created. ``apps`` is a migration's app registry."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    template_model = apps.get_model("surveys", "SurveyTemplate")
    section_model = apps.get_model("surveys", "Section")
    question_model = apps.get_model("surveys", "Question")
    option_model = apps.get_model("surveys", "Option")
    created = 0
    for spec in SHIPPED:
        if template_model.objects.filter(family=spec["family"]).exists():
            continue
        template = template_model.objects.create(
            family=spec["family"],
            version=1,
            kind=spec["kind"],
            title_vi=spec["title_vi"],
            title_en=spec["title_en"],
            intro_vi=spec["intro_vi"],
            intro_en=spec["intro_en"],
        )
        created += 1
        order = 0
        options_by_code: dict[tuple[str, str], Any] = {}
        for s_index, (s_vi, s_en, questions) in enumerate(spec["sections"]):
            section = section_model.objects.create(template=template, order=s_index, title_vi=s_vi, title_en=s_en)
            for code, kind, vi, en, extra in questions:
                order += 1
                question = question_model.objects.create(
                    template=template,
                    section=section,
                    order=order,
                    code=code,
                    kind=kind,
                    text_vi=vi,
                    text_en=en,
                    **{k: v for k, v in extra.items() if k in QUESTION_FLAGS},
                )
                for o_index, option in enumerate(extra.get("options", [])):
                    o_code, o_vi, o_en, *correct = option
                    options_by_code[(code, o_code)] = option_model.objects.create(
                        question=question,
                        order=o_index,
                        code=o_code,
                        text_vi=o_vi,
                        text_en=o_en,
                        is_correct=bool(correct and correct[0]),
                    )
                if "show_if" in extra:
                    question.show_if_option = options_by_code[extra["show_if"]]
                    question.save(update_fields=["show_if_option"])
    return created
