from tests.surveys.conftest import make_member, shipped_templates, template  # noqa: F401
