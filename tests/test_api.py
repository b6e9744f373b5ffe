"""The public surface, pinned."""

import newsclean


def test_public_names_are_pinned():
    assert newsclean.__all__ == sorted(newsclean.__all__)
    for name in newsclean.__all__:
        assert hasattr(newsclean, name), name
    core = {"Article", "Block", "Image", "Removal", "Options", "Rules", "clean", "clean_text",
            "NewscleanError", "RuleError", "FetchError", "__version__"}
    assert core <= set(newsclean.__all__)


def test_every_error_is_a_newsclean_error():
    errors = [getattr(newsclean, n) for n in newsclean.__all__ if n.endswith("Error")]
    assert all(issubclass(e, newsclean.NewscleanError) for e in errors)
    assert issubclass(newsclean.HTTPStatusError, newsclean.FetchError)


def test_results_and_options_are_frozen():
    import dataclasses

    import pytest

    for value in (newsclean.Article(), newsclean.Options(), newsclean.Block("paragraph", "x")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.title = "changed"  # type: ignore[misc]
