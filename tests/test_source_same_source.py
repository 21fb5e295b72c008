"""The same source read by different capture tools gives the same url (and, for books, the same
title and author): what lets a second capture of it update the first note instead of doubling it."""

from __future__ import annotations

from .capture_helpers import fixture, read_one

PAGE = "https://worklife-example.com/essays/status-meetings"
TWEET = "https://x.com/priya_evals/status/1765432109876543210"


def _readwise_article(url: str) -> bytes:
    return (
        fixture("readwise-article.md")
        .decode()
        .replace("https://fieldnotes-example.org/essays/small-batches", url)
        .encode()
    )


def test_a_page_has_one_url_whichever_tool_saved_it():
    clipped = (
        fixture("webclipper-article.md")
        .decode()
        .replace(
            "https://www.citylab-example.com/energy/heat-pumps-cold-winters",
            PAGE + "#:~:text=nobody%20trusts",
        )
    )
    hyp = (
        fixture("hypothesis-article.md")
        .decode()
        .replace("https://ruralbroadband-example.org/reports/last-mile-2024", PAGE)
    )
    md = (
        fixture("markdownload-template.md")
        .decode()
        .replace("https://storage-example.dev/posts/fsync-durability", PAGE)
    )
    urls = {
        "omnivore": read_one("omnivore-article.md").url,
        "readwise": read_one("rw.md", data=_readwise_article(PAGE)).url,
        "webclipper": read_one("wc.md", data=clipped.encode()).url,
        "hypothesis": read_one("hy.md", data=hyp.encode()).url,
        "markdownload": read_one("md.md", data=md.encode()).url,
    }
    assert urls == dict.fromkeys(urls, PAGE)


def test_a_tweet_has_one_url_whichever_tool_saved_it():
    clipped = (
        fixture("webclipper-x-post.md")
        .decode()
        .replace(
            "https://twitter.com/mirela_codes/status/1767112233445566778",
            "https://twitter.com/priya_evals/status/1765432109876543210",
        )
    )
    tra = (
        fixture("webclipper-threadreader.md")
        .decode()
        .replace("@marcus_dev on Thread Reader App", "@priya_evals on Thread Reader App")
        .replace("1767554433221100998", "1765432109876543210")
    )
    assert read_one("readwise-tweets.md").url == TWEET
    assert read_one("wc.md", data=clipped.encode()).url == TWEET
    assert read_one("tra.md", data=tra.encode()).url == TWEET


def test_a_book_has_one_title_and_author():
    """Readwise writes `[[Halvorsen, Ingrid]]` as Kindle does; both give the name in reading order."""
    n = read_one("readwise-book.md")
    assert (n.title, n.author) == (
        "The Quiet Machine: How Small Systems Outlast Big Plans",
        "Ingrid Halvorsen",
    )
    plain_name = fixture("readwise-book.md").decode().replace("[[Halvorsen, Ingrid]]", "[[Ingrid Halvorsen]]")
    assert read_one("rw.md", data=plain_name.encode()).author == "Ingrid Halvorsen"
