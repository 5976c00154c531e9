"""常用审核意见 through app.ops.opinions."""

from __future__ import annotations

import pytest

from app.core.errors import UsageError
from app.ops.opinions import add_opinion, list_opinions, remove_opinion
from app.store import Store


def test_opinions_are_added_once_trimmed_and_removed(store: Store) -> None:
    assert add_opinion(store, "  材料齐全，同意推荐。 ") is True
    assert add_opinion(store, "材料齐全，同意推荐。") is False  # there already
    assert add_opinion(store, "请补充近三年年度考核结果。") is True
    assert list_opinions(store) == ["材料齐全，同意推荐。", "请补充近三年年度考核结果。"]
    assert remove_opinion(store, "材料齐全，同意推荐。") is True
    assert remove_opinion(store, "材料齐全，同意推荐。") is False
    assert list_opinions(store) == ["请补充近三年年度考核结果。"]


def test_an_empty_opinion_is_refused_and_nothing_written(store: Store) -> None:
    with pytest.raises(UsageError, match="不能为空"):
        add_opinion(store, " \n ")
    assert list_opinions(store) == []
