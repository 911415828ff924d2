from django.db import migrations

# The managed topic list starts with the topics of the pilot trainings (DESIGN.md §3.8).
TOPICS = [
    ("Giới và lãnh đạo trong hội nhập quốc tế", "Gender and leadership in international integration"),
    ("Chuyển đổi số", "Digital transformation"),
    ("Tự lãnh đạo bản thân và tầm nhìn cá nhân", "Self-leadership and personal vision"),
    ("Kiến thức hội nhập quốc tế", "International integration knowledge"),
    ("Lễ tân và giao tiếp ngoại giao", "Protocol and diplomatic communication"),
    ("Nhạy cảm văn hóa", "Cultural sensitivity"),
    ("Các hiệp định thương mại tự do", "Free-trade agreements"),
]


def seed_topics(apps, schema_editor):
    Topic = apps.get_model("events", "Topic")
    for name, name_en in TOPICS:
        Topic.objects.get_or_create(name=name, defaults={"name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_programme_speakers_invitations_attendance_media"),
    ]

    operations = [migrations.RunPython(seed_topics, migrations.RunPython.noop)]
