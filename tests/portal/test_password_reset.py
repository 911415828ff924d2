import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_password_reset_by_email_in_vietnamese(client, staff_a, settings):
    response = client.post(reverse("account_reset_password"), {"email": staff_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_a.email]
    assert "Chọn mật khẩu mới" in message.subject
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(settings.SITE_URL + "/")
    path = link.removeprefix(settings.SITE_URL)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"},
    )
    assert done.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.check_password("Mat-khau-moi-2026")


def test_unknown_address_reveals_nothing_and_sends_nothing(client, reference_data):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
