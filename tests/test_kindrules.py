"""Precision (#18) on pages that are not articles: the post-kind pass (``page/kindrules.py``, the
``nonarticle`` pack) and code returned as text (``page/dumps.py``). Small pages of our own making."""

from __future__ import annotations

import json

import pytest

import newsclean
from newsclean.article import Block
from newsclean.errors import RuleError
from newsclean.page.dumps import unpack_code
from newsclean.page.kind import KINDS, Kind
from newsclean.page.kindrules import apply_kind_rules, footer_start, is_contact_strip, is_ticker
from newsclean.rules import PAGE_KINDS, Pack, Rules

SHOP_URL = "https://shop.example.com/products/walnut-chess-set"
DESCRIPTION = ("Every piece of this chess set is hand-carved from walnut and boxwood, weighted with "
               "steel and finished with green felt, so that it stands firm on any board.")
CARE = ("Wipe the pieces with a dry cloth after play and keep the set away from direct sunlight, "
        "which fades the boxwood and dries the felt over the years.")
FURNITURE = ["Save 25%", "Tell me more", "Book Now"]
FOOTER = ["Careers", "Gift Cards", "Privacy Policy", "Terms of Service"]


def shop_page(lines: list[str]) -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "Product", "name": "Walnut chess set",
                     "offers": {"@type": "Offer", "price": "99.99", "priceCurrency": "USD"}})
    middle = "".join(f"<p>{line}</p>" for line in lines)
    return (f'<html><head><title>Walnut chess set</title><meta property="og:type" content="product">'
            f'<script type="application/ld+json">{ld}</script></head><body><main>'
            f'<h1>Walnut chess set</h1><span class="price">$99.99</span><button>Add to cart</button>'
            f"<p>{DESCRIPTION}</p>{middle}<p>{CARE}</p>"
            f'<div class="links">{"".join(f"<p>{x}</p>" for x in FOOTER)}</div></main></body></html>')


def rules_of(article: newsclean.Article) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for removal in article.removed:
        out.setdefault(removal.rule, []).append(removal.text)
    return out


def test_a_product_page_loses_its_badges_buttons_and_footer_links():
    article = newsclean.clean(shop_page(FURNITURE), url=SHOP_URL)
    assert not article.is_article
    assert DESCRIPTION in article.text and CARE in article.text
    for line in FURNITURE + FOOTER:
        assert line not in article.text
    removed = rules_of(article)
    assert removed["nonarticle.line.discount"] == ["Save 25%"]
    assert removed["nonarticle.line.cta"] == ["Tell me more", "Book Now"]
    assert removed["kind.footer"] == FOOTER


def test_an_article_keeps_the_same_lines():
    blocks = [Block("paragraph", DESCRIPTION)] + [Block("paragraph", x) for x in FURNITURE + FOOTER]
    kept, removed = apply_kind_rules(blocks, Rules.default(), Kind("article", 2.0))
    assert kept == blocks and removed == []


@pytest.mark.parametrize("line", [
    "$99.99",  # a price: a product grid's content
    "Regular price $99.99",
    "Starting at $49",
    "Learn more about our warranty",  # a link to a page, not a button
    "Save the date: the club meets on the first Monday of the month",
    "Careers in nursing start with a year on the wards",
])
def test_lines_that_only_look_like_shop_furniture_stay(line):
    kept, removed = apply_kind_rules([Block("paragraph", line)], Rules.default(), Kind("collection", 1.0))
    assert [b.text for b in kept] == [line] and removed == []


def test_the_footer_of_a_page_returned_as_one_block_goes_and_the_rest_stays():
    page = ["Best sellers in kitchen", "Blue kettle", "$29.00", "Green teapot", "$19.00", "Get to Know Us",
            "Careers", "About us", "Investor Relations", "Help"]
    kept, removed = apply_kind_rules([Block("paragraph", "\n".join(page))], Rules.default(),
                                     Kind("collection", 1.0))
    assert kept[0].text.split("\n") == page[:6]
    assert [r.text for r in removed if r.rule == "kind.footer"] == page[6:]


def test_one_footer_link_or_prose_after_it_is_no_footer():
    rules = Rules.default().compile(page_kind="service")
    assert footer_start(["Our work", "Careers", "Contact"], rules) is None
    assert footer_start(["Careers", "Privacy", "We are hiring carers for all our homes, and train them."],
                        rules) is None


def test_a_heading_line_inside_a_page_returned_as_one_block_goes():
    text = "Video games\nAdventure\nRacing\nTrending Searches\nconsole deals"
    kept, removed = apply_kind_rules([Block("paragraph", text)], Rules.default(), Kind("collection", 1.0))
    assert "Trending Searches" not in kept[0].text
    assert [(r.rule, r.text) for r in removed] == [("nonarticle.heading.searches", "Trending Searches")]


MENU = ["Platform", "What's new", "Integrations", "API network", "Design", "Mock servers", "Build",
        "Workspaces", "Test", "Monitors", "Learn", "Docs"]


def test_a_menu_printed_twice_goes_both_times_and_what_follows_stays():
    blocks = [Block("paragraph", x) for x in MENU + MENU[:-1] + ["A new platform is here", DESCRIPTION]]
    kept, removed = apply_kind_rules(blocks, Rules.default(), Kind("service", 1.0))
    assert [b.text for b in kept] == ["A new platform is here", DESCRIPTION]
    assert [r.text for r in removed if r.rule == "kind.menu"] == MENU + MENU[:-1]


def test_labels_on_every_card_of_a_grid_are_no_menu():
    cards = [line for n in range(6) for line in (f"Course {n}", "Price", f"${n}00", "Duration", f"{n} weeks")]
    blocks = [Block("paragraph", x) for x in cards]
    assert apply_kind_rules(blocks, Rules.default(), Kind("collection", 1.0)) == (blocks, [])


def test_a_sign_up_box_heading_goes_with_its_steps():
    blocks = [Block("paragraph", DESCRIPTION), Block("heading", "Try it for yourself"),
              Block("list_item", "Create an account."), Block("list_item", "Get free credits."),
              Block("paragraph", CARE)]
    kept, removed = apply_kind_rules(blocks, Rules.default(), Kind("service", 1.0))
    assert [b.text for b in kept] == [DESCRIPTION, CARE]
    assert [r.rule for r in removed] == ["nonarticle.heading.cta", "text.widget-items", "text.widget-items"]


def test_tickers_and_contact_strips():
    assert is_ticker("Book Now *Book Now *Book Now *Book Now *")
    assert is_ticker("FREE DELIVERY • FREE DELIVERY • FREE DELIVERY")
    assert not is_ticker("Book now • Pay later")
    assert not is_ticker("Now, now, now: the word the coach shouted at every practice session")
    assert is_contact_strip("877-722-3303 (Main Office) | 844-652-8219 (Billing) care@example.org")
    assert is_contact_strip("+44 20 7946 0958 · hello@example.co.uk")
    assert not is_contact_strip("Jo Roe\njo@example.org\n952-960-4724")  # a contact card stays
    assert not is_contact_strip("Call 877-722-3303 or write to care@example.org to book your first visit "
                                "with one of our dentists.")
    assert not is_contact_strip("Released 2016-06-25, reissued 2014-07-08")


def test_the_rules_kinds_are_the_kinds_the_page_is_judged_by():
    assert PAGE_KINDS == KINDS


def test_a_pack_scoped_to_kinds_applies_only_on_those_pages():
    pack = Pack.from_toml('[pack]\nid = "mine"\npage_kinds = ["product"]\n[[rule]]\nid = "mine.line.x"\n'
                          'kind = "line"\npatterns = ["only in stores"]\n', source="mine.toml")
    rules = Rules.default() + Rules((pack,))
    assert rules.compile(SHOP_URL).match_line("Only in stores") is None
    assert rules.compile(SHOP_URL, page_kind="product").match_line("Only in stores") == "mine.line.x"
    assert rules.compile(SHOP_URL, page_kind="service").match_line("Only in stores") is None


def test_a_user_pack_disables_a_kind_rule():
    off = Pack.from_toml('[pack]\nid = "mine"\ndisable = ["nonarticle.line.cta"]\n', source="mine.toml")
    rules = Rules.default() + Rules((off,))
    assert rules.compile(SHOP_URL, page_kind="product").match_line("Tell me more") is None
    assert Rules.default().compile(SHOP_URL, page_kind="product").match_line("Tell me more") == \
        "nonarticle.line.cta"


def test_an_unknown_page_kind_is_a_rule_error():
    with pytest.raises(RuleError, match="page_kinds"):
        Pack.from_toml('[pack]\nid = "mine"\npage_kinds = ["recipe"]\n', source="mine.toml")


# ------------------------------------------------------------------ code as text

MARKUP = ('<div class="hero"><h1>Your fastest path to production</h1><p>Connect your repo and deploy.</p>'
          '<script>self.__next_f.push([1, "x"])</script><style>.a{color:red}</style>'
          + '<div><a href="/docs">Docs</a><span>Scale on demand.</span></div>' * 6 + "</div>")


def test_a_line_of_markup_becomes_the_text_a_reader_sees():
    blocks, removed = unpack_code([Block("paragraph", "Get started\n" + MARKUP)])
    lines = blocks[0].text.split("\n")
    assert lines[:4] == ["Get started", "Your fastest path to production", "Connect your repo and deploy.",
                         "Docs"]
    assert not any("<" in line or "__next_f" in line or "color:red" in line for line in lines)
    assert [r.rule for r in removed] == ["text.markup"] and len(removed[0].text) <= 201


def test_a_json_line_goes_and_prose_about_markup_stays():
    state = json.dumps({"buybox": [{"displayPrice": "EUR 15.49", "priceAmount": 15.49, "inStock": True}] * 3})
    prose = "Wrap the cells in <td> elements inside a <tr>, and the rows in a <table> with a <caption>."
    blocks, removed = unpack_code([Block("paragraph", state), Block("paragraph", prose),
                                   Block("paragraph", '{"short": 1}'), Block("code", state)])
    assert [b.text for b in blocks] == [prose, '{"short": 1}', state]
    assert [r.rule for r in removed] == ["text.json"]


def test_a_page_whose_text_is_raw_markup_gives_the_text_in_it():
    # what trafilatura's fallback returned for a page whose <noscript> it could not read
    escaped = MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    page = ("<html><head><title>Deploy</title></head><body><div><p>Get started</p>"
            f"<p>{escaped}</p></div></body></html>")
    article = newsclean.clean(page, url="https://deploy.example.com/")
    assert "<div" not in article.text and "__next_f" not in article.text
    assert "Connect your repo and deploy." in article.text
    assert "text.markup" in rules_of(article)


# ------------------------------------------------------------------ publisher templates

@pytest.mark.parametrize(("url", "lines", "rule"), [
    ("https://www.ikea.com/us/en/cat/chairs-fu002/",
     ["Delivery", "Shop from home and get it delivered to your front door.", "Taskrabbit Assembly",
      "Financing options", "Finance your dream home with our credit cards."], "ikea.line.services"),
])
def test_a_publishers_template_furniture_goes_on_its_pages_only(url, lines, rule):
    page = (f"<html><body><main><h1>Walnut chairs</h1><p>{DESCRIPTION}</p>"
            + "".join(f"<p>{x}</p>" for x in lines) + f"<p>{CARE}</p></main></body></html>")
    article = newsclean.clean(page, url=url)
    assert rules_of(article)[rule] == lines and DESCRIPTION in article.text and CARE in article.text
    elsewhere = newsclean.clean(page, url="https://furniture.example.com/chairs")
    assert rule not in rules_of(elsewhere)


BANNERS = ["Save $26 with the Limited Edition Holiday Set",
           "Warehouse move: Ships by March 10th €9 Flat Rate | Free Shipping €150+",
           "Earn Rewards. Free Shipping. Exclusive Access.",
           "Give the Gift of Chess with Walnut Gift Cards",
           "Get your hands on the Walnut Set!",
           "No interest for 5 years - In-store Only"]


def test_a_shops_banners_go_from_a_product_page():
    article = newsclean.clean(shop_page(BANNERS), url=SHOP_URL)
    assert DESCRIPTION in article.text and CARE in article.text
    removed = rules_of(article)
    assert removed["nonarticle.line.discount"] == BANNERS[:1]
    assert removed["nonarticle.line.promo"] == BANNERS[1:]


def test_an_article_keeps_the_banner_lines():
    blocks = [Block("paragraph", DESCRIPTION)] + [Block("paragraph", x) for x in BANNERS]
    kept, removed = apply_kind_rules(blocks, Rules.default(), Kind("article", 2.0))
    assert kept == blocks and removed == []


@pytest.mark.parametrize("line", ["Free shipping + returns", "Free Shipping & Returns", "Gift Cards"])
def test_shipping_badges_the_truth_keeps_are_no_banner(line):
    assert "nonarticle.line.promo" not in rules_of(newsclean.clean(shop_page([line]), url=SHOP_URL))
