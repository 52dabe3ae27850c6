import re

import pytest

from jingxiang.events.tests.test_views import published  # noqa: F401

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+")


def test_english_pages(cast, published, setup, client):  # noqa: F811
    from django.utils.html import strip_tags

    from jingxiang.events.models import Meeting, ScheduleRun

    client.force_login(cast.operator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    ev = setup.event.pk
    meeting = Meeting.objects.filter(event_id=ev).first()
    run = ScheduleRun.objects.filter(event_id=ev).first()
    urls = [
        "/events/",
        f"/events/{ev}/",
        f"/events/{ev}/participants/",
        f"/events/{ev}/schedule/",
        f"/events/{ev}/board/",
        f"/events/{ev}/report/",
        f"/events/{ev}/checkin/?q=a",
        f"/events/{ev}/table-cards/",
        "/events/requests/",
        f"/events/participants/{setup.firm.pk}/agenda/",
        f"/events/{ev}/sessions/add/",
        f"/events/{ev}/tables/add/",
        "/events/new/",
        f"/events/{ev}/edit/",
    ]
    if meeting:
        urls.append(f"/events/meetings/{meeting.pk}/")
    if run:
        urls.append(f"/events/runs/{run.pk}/")
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        main = html.split("<main", 1)[-1].split("</main>", 1)[0] if "<main" in html else html
        text = strip_tags(main)
        found = sorted(set(CJK.findall(text)))
        print("\n##", url, found)
        for m in re.finditer("用户", text):
            print("CTX", url, repr(text[max(0, m.start() - 150) : m.end() + 60]))
    client.force_login(cast.talent_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in [
        f"/events/{ev}/",
        f"/events/{ev}/participants/?as={setup.firm.pk}",
        "/events/requests/",
        f"/events/participants/{setup.firm.pk}/agenda/",
    ] + ([f"/events/meetings/{meeting.pk}/"] if meeting else []):
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        main = html.split("<main", 1)[-1].split("</main>", 1)[0] if "<main" in html else html
        print("\n## officer", url, sorted(set(CJK.findall(strip_tags(main)))))
