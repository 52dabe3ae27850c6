from __future__ import annotations

import pytest

from jingxiang.core.search import search_key, searchable_text
from jingxiang.organisations.models import Organisation


def test_searchable_text_has_pinyin_and_initials():
    text = searchable_text("临海市康波眼镜有限公司")
    assert "kangbo" in text
    assert "kb" in text
    assert "康波" in text


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["kangbo", "kb", "KangBo", "康波", "康 波"])
def test_pinyin_and_initials_find_kangbo(cast, query):
    names = list(Organisation.objects.search(query).values_list("name", flat=True))
    assert "临海市康波眼镜有限公司" in names
    assert "临海市远方光学有限公司" not in names


def test_search_key_folds_width_and_case():
    assert search_key(" ＫＢ ") == "kb"
