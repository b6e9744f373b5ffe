"""Precision (#18): furniture that used to leak into the text, each on a small page of its own."""

from __future__ import annotations

import pytest

import newsclean

URL = "https://www.example.com/news/2024/harbour-plan"
PROSE = ("The council voted on the new harbour plan after a long debate, and residents "
         "reacted with a mix of relief and anger at the meeting on Tuesday night.")
MORE = ("Work on the quay starts in spring and should take two years, the harbour master "
        "said, adding that the ferry timetable would not change during the building work.")


def page(middle: str, *, title: str = "Harbour plan approved", head: str = "", end: str = "") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"<p>{PROSE}</p><p>{PROSE} It passed by one vote.</p>{middle}<p>{MORE}</p>"
            f"<p>{MORE} Funding is in place.</p>{end}</article></body></html>")


def rules_of(article: newsclean.Article) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for removal in article.removed:
        out.setdefault(removal.rule, []).append(removal.text)
    return out


def test_a_paragraph_that_is_only_a_link_to_another_article_of_the_site_goes():
    article = newsclean.clean(page('<p><a href="/news/2024/flood-warning">Flood warning issued for the '
                                   'coast road</a></p>'), url=URL)
    assert "Flood warning" not in article.text
    assert rules_of(article)["structure.teaser-link"] == ["Flood warning issued for the coast road"]
    assert PROSE in article.text and MORE in article.text


@pytest.mark.parametrize("middle", [
    # a link to another site: a source, not a teaser
    '<p><a href="https://www.harbour-trust.org/report">The harbour trust report on the plan</a></p>',
    # a link inside a sentence
    '<p>Read the <a href="/news/2024/plan-text">full text of the plan</a> before the vote.</p>',
    # the page itself, or a section front
    f'<p><a href="{URL}#comments">Jump to the comments below</a></p>',
    '<p><a href="/tag/harbour">More stories tagged harbour</a></p>',
])
def test_links_that_are_not_teasers_stay(middle):
    article = newsclean.clean(page(middle), url=URL)
    assert "structure.teaser-link" not in rules_of(article)


def test_a_run_of_link_paragraphs_is_a_list_not_inline_teasers():
    links = "".join(f'<p><a href="/news/2024/story-{i}">Headline of another story number {i}</a></p>'
                    for i in range(3))
    assert "structure.teaser-link" not in rules_of(newsclean.clean(page(links), url=URL))


@pytest.mark.parametrize(("line", "rule"), [
    ("[Related: Ferry fares rise again this winter]", "generic.line.related-link"),
    ("Read more…", "generic.line.related-link"),
    ("You may also like", "generic.line.related-link"),
    ("Sign up for our free Harbour Weekly newsletter", "generic.line.promo"),
    ("The best of the Gazette, delivered to your letterbox every morning.", "generic.line.promo"),
    ("Subscribe for as little as £1 a week and read without limits.", "generic.line.promo"),
    ("Support local journalism: subscribe today for unlimited access to the Prairie Ledger.",
     "generic.line.promo"),  # BLOX (TownNews) sites' subscribe line
    ("Il vous reste 71.42% de cet article à lire. La suite est réservée aux abonnés.",
     "generic.line.promo"),  # Le Monde's paywall counter
    ("Get your tickets now for the Harbour Food Festival", "generic.line.promo"),
    ("As an Amazon Associate, I earn from qualifying purchases.", "generic.line.disclosure"),
    ("HarbourGuide.com is supported by commissions from providers listed on our site.",
     "generic.line.disclosure"),
    ("This post may contain affiliate links.", "generic.line.disclosure"),
    ("PIN FOR LATER", "generic.line.cta"),  # Pinterest buttons of recipe and garden themes
    ("Jump to Recipe", "generic.line.cta"),
    ("Loading posts…", "generic.line.cta"),
    ("Did you make this recipe? Please leave a star rating and a comment below!", "generic.line.cta"),
    ("If you enjoyed this article, please consider sharing it with a friend.", "generic.line.cta"),
    ("This story is funded by readers like you", "generic.line.cta"),
    ("Join Date: Aug 2008", "generic.line.forum"),  # vBulletin's postbit
    ("Posts: 1,077", "generic.line.forum"),
    ("Well-known member", "generic.line.forum"),  # XenForo's default user titles
    ("Click to expand...", "generic.line.forum"),
    ("Not open for further replies.", "generic.line.forum"),
    ('[button link="/subscribe" color="blue"]', "generic.line.shortcode"),
    ('[caption id="attachment_12" align="alignnone"]The quay at dawn[/caption]', "generic.line.shortcode"),
    ("This article was originally published on www.harbourtimes.com.", "generic.line.reprint"),
    ("Reprinted with permission from the Harbour Times.", "generic.line.reprint"),
    ("Submitted by editor on Tue, 03/15/2016 - 10:22", "generic.line.reprint"),  # Drupal
    ("___", "generic.line.separator"),
    ("* * *", "generic.line.separator"),
    ("Tags: harbour, council, ferry", "generic.line.labels"),
    ("© 2025 Harbour Media Ltd. All rights reserved.", "generic.line.copyright"),
    ("Loading...", "generic.line.prompts"),
    ("Registered User", "generic.line.forum"),  # vBulletin's default user title
    ("Join Date", "generic.line.forum"),  # a postbit label whose value sits in another cell
    ("Sam and 2 others likes this", "generic.line.forum"),
    ("Sent from my Pixel 7 using Tapatalk", "generic.line.forum"),
    ("Stay connected with us!", "generic.line.cta"),
    ("Help us spread the word about the harbour podcast!", "generic.line.cta"),
    ("Want to use code from this post? Check out the license.", "generic.line.cta"),
    ("Join Medium for free to get updates from this writer.", "generic.line.cta"),
    ("Love the Harbour Letter? Tell your friends and get rewards.", "generic.line.cta"),  # Substack
    ("How was this issue?", "generic.line.cta"),
    ("New customers get $200 in free credits to spend on Harbour Cloud.", "generic.line.cta"),
    ("Start sailing today! Unlock up to 40% OFF your first season pass.", "generic.line.cta"),
    ("Written by Jo Harbour", "generic.line.cta"),
    ("Purchases made through our links may earn us a commission.", "generic.line.disclosure"),
    ("Products are chosen independently by our editors.", "generic.line.disclosure"),
    ("NOT FDIC INSURED · NOT BANK GUARANTEED · MAY LOSE VALUE", "generic.line.disclosure"),
    ("$24.99 Add to cart", "generic.line.shop"),
    ("Out of stock", "generic.line.shop"),
    ("Get notified by email when this product is in stock.", "generic.line.shop"),
    ("Returns & exchanges accepted within 30 days", "generic.line.shop"),
    ("Ships from: Portugal", "generic.line.shop"),
    ("Product Name", "generic.line.shop"),  # a product grid's column labels
    ("Free shipping on all orders over $50", "generic.line.shop"),
    ("Filter & Sort", "generic.line.shop"),
    ("Your payment information is processed securely.", "generic.line.shop"),
    ("Contact us", "generic.line.account"),
    ("Create account", "generic.line.account"),
    ("Join / Sign in", "generic.line.account"),
    ("Use the form on the right to contact us.", "generic.line.account"),
    ("in partnership with", "generic.line.account"),  # over a sponsor's logo
    ("Register to see the full-size photo", "generic.line.prompts"),
    ("By using Harbour Maps, you agree to its terms and privacy statement.", "generic.line.prompts"),
    ("Get the best of the Harbour Times, directly in your inbox.", "generic.line.promo"),
    ("12,000 5-Star Reviews", "generic.line.shop"),
    ("Members earn $10 reward for every $200 spent.", "generic.line.shop"),
    ("You may be interested in the following topics as well:", "generic.line.related-link"),
    ("Harbour Desk | 4 min read", "generic.line.prompts"),  # a byline with the reading time
    ("Tired of waiting? Talk to our ferry scheduling experts", "generic.line.cta"),
    ("Meet us at the Harbour Expo in Bristol on 3 May.", "generic.line.promo"),
    ("Meet Quayside Labs at the Ferry Tech Summit in Oslo on 4 June.", "generic.line.promo"),
    ("Compare new boat deals with harbourboats.co.uk", "generic.line.promo"),  # an affiliate's line
    ("Earn your bachelor's degree in maritime logistics", "generic.line.promo"),  # a university's program box
    ("Email: desk@harbourtimes.example", "generic.line.account"),
    ("Advertisement: The Harbour Almanac, out now", "generic.line.disclosure"),  # a newsletter's ad slot
    ("All loans made by Harbour Bank.", "generic.line.disclosure"),
    ("Jo Roe is a reporter for the Harbour Times and covers the port.", "generic.line.bio"),
    ("Jo Roe is a writer who has been covering ferries for a decade.", "generic.line.bio"),
    ("Jo Roe Bristol-based Maritime Writer", "generic.line.bio"),
    ("Why trust us?", "generic.line.methodology"),
    ("Checking our work.", "generic.line.methodology"),
])
def test_furniture_lines(line, rule):
    article = newsclean.clean_text(f"{PROSE}\n{line}\n{MORE}")
    assert rules_of(article) == {rule: [line]}
    assert article.text == f"{PROSE}\n\n{MORE}"


@pytest.mark.parametrize("line", [
    "Read more about the plan in the council's own summary, published last week.",
    "Prices start from as little as £2 at the harbour kiosk, the council said.",
    "The plan was first published in March and revised twice since then.",
    "[Chorus]",
    "As an affiliate of the harbour trust, the council earns fees from the ferry operator.",
    "Loading the ferries took longer than planned, the harbour master said.",
    "Posts on the harbour's page drew hundreds of replies.",
    "Messages",
    "Written by the harbour master himself, the report is short.",
    "The quay shop was out of stock of rope for a week, which angered the crews.",
    "Contact us at the harbour office if the ferry is late, the council said.",
    "Free shipping of goods through the harbour ended in 1850.",
    "Jo Roe is a writer and painter who lives by the harbour.",
    "Follow the signs to the ferry terminal.",
    "How we tested the ferries",
    "Meet the crew at the harbour",
])
def test_text_that_only_looks_like_furniture_stays(line):
    assert line in newsclean.clean_text(f"{PROSE}\n{line}\n{MORE}").text


def test_a_hidden_copy_of_the_article_goes_even_though_it_holds_an_article():
    body = "".join(f"<p>{PROSE} Paragraph {i}.</p>" for i in range(6))
    html = (f"<html><head><title>Harbour plan approved</title></head><body>"
            f"<main><article><h1>Harbour plan approved</h1>{body}</article></main>"
            f'<div class="print-copy" style="display:none"><article>{body}</article></div></body></html>')
    article = newsclean.clean(html, url=URL)
    assert article.text.count("Paragraph 3.") == 1
    assert "generic.node.hidden" in rules_of(article)


def test_a_hidden_article_with_no_visible_copy_is_kept():
    body = "".join(f"<p>{PROSE} Paragraph {i}.</p>" for i in range(6))
    html = (f"<html><head><title>Harbour plan approved</title></head><body>"
            f'<div style="display:none"><article>{body}</article></div></body></html>')
    assert "Paragraph 3." in newsclean.clean(html, url=URL).text


def test_a_tooltip_inside_a_paragraph_is_not_pasted_into_the_sentence():
    middle = ('<p>The mayor said <span class="glossary">TIF<span class="tooltip-content">Tax increment '
              'financing: a way to fund projects.</span></span> funds would pay for all of it.</p>')
    article = newsclean.clean(page(middle), url=URL)
    assert "The mayor said TIF funds would pay for all of it." in article.text
    assert "Tax increment" not in article.text


def test_only_a_tooltip_inside_a_paragraph_goes_and_its_class_is_read_as_written():
    # The selector's own rules decide, not the quicker any-case look that comes first: outside a
    # paragraph, or in another case ("Tooltip-Content"), the box is not the tooltip rule's.
    middle = ('<p>The mayor said <span class="Tooltip-Content">the council agreed</span> to pay.</p>'
              '<div class="tooltip-content">The harbour plan was drawn up in 2019.</div>'
              '<p>Then <span class="c-tooltip-content-x">Tax increment financing.</span> came.</p>')
    article = newsclean.clean(page(middle), url=URL)
    assert "The mayor said the council agreed to pay." in article.text
    assert "drawn up in 2019" in article.text
    assert "Tax increment" not in article.text


def test_the_title_repeated_after_the_body_and_the_page_url_go():
    end = "<h3>Harbour plan approved by council</h3><p>https://example.com/news/2024/harbour-plan/</p>"
    article = newsclean.clean(page("", title="Harbour plan approved by council", end=end), url=URL)
    assert "Harbour plan approved by council" not in article.text
    assert "https://" not in article.text
    assert {"text.title", "text.url"} <= set(rules_of(article))


def test_the_title_inside_the_body_stays():
    middle = "<h3>Harbour plan approved by council</h3>"  # a box's heading, with prose after it
    article = newsclean.clean(page(middle, title="Harbour plan approved by council"), url=URL)
    assert "Harbour plan approved by council" in article.text


def test_embedded_posts_stay_as_quotes():
    middle = ('<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">'
              'The harbour plan is a disgrace to this town and to its long history.</p>&mdash; '
              'Jo Roe (@joroe) <a href="https://twitter.com/joroe/status/1">May 1, 2024</a></blockquote>'
              '</div><blockquote class="instagram-media"><div><a href="https://www.instagram.com/p/x/">'
              'A post shared by Harbour Friends (@harbourfriends)</a></div></blockquote>')
    article = newsclean.clean(page(middle), url=URL)
    quotes = [b.text for b in article.blocks if b.kind == "quote"]
    assert any("is a disgrace to this town" in q for q in quotes)
    assert any("A post shared by Harbour Friends" in q for q in quotes)
    assert "generic.token.share" not in rules_of(article)


def test_an_outlet_given_after_the_author_is_not_an_author():
    head = '<meta name="author" content="Lena Brandt, CNN">'
    assert newsclean.clean(page("", head=head), url=URL).authors == ("Lena Brandt",)


def test_forum_post_furniture_goes_by_the_forum_software_template():
    # XenForo 2's postbit: user title and the Joined / Messages / Reaction score pairs
    extras = ('<div class="message-userDetails"><h4 class="message-name">Marlin</h4>'
              '<h5 class="userTitle message-userTitle">Well-known member</h5></div>'
              '<div class="message-userExtras"><dl class="pairs"><dt>Joined</dt><dd>Mar 3, 2019</dd></dl>'
              '<dl class="pairs"><dt>Messages</dt><dd>1,204</dd></dl></div>')
    article = newsclean.clean(page(extras))
    assert "1,204" not in article.text and "Well-known member" not in article.text
    assert sorted(rules_of(article)["generic.node.forum-userinfo"]) == [
        "Joined Mar 3, 2019 Messages 1,204", "Well-known member"]


@pytest.mark.parametrize("heading", ["Frequently bought together", "Similar items", "Ils vont bien ensemble",
                                     "Your recently viewed items"])
def test_a_shops_cross_sell_box_goes_with_its_heading(heading):
    description = ("A kettle of brushed steel that boils a litre of water in two minutes, with a "
                   "handle that stays cool and a lid that opens with one finger.")
    box = "".join(f'<li><a href="/products/mug-{i}">Harbour mug {i}</a> <span>€{9 + i}</span></li>'
                  for i in range(4))
    html = (f"<html><head><title>Blue kettle</title></head><body><main><h1>Blue kettle</h1>"
            f"<p>{description}</p><p>{description} It comes in three colours.</p>"
            f"<section><h2>{heading}</h2><ul>{box}</ul></section></main></body></html>")
    article = newsclean.clean(html, url="https://shop.example/products/blue-kettle")
    assert "Harbour mug" not in article.text and heading not in article.text
    assert description in article.text
    assert "generic.heading.cross-sell" in rules_of(article)


CLOSING = ("Harbour Notes is a production of Quay Media. If you liked this article, please consider "
           "liking, sharing and subscribing to the Quay Letter, and tell a friend about the ferry "
           "timetables we keep up to date every week of the season.")


def test_a_closing_note_after_the_article_goes_even_inside_a_long_paragraph():
    article = newsclean.clean(page("", end=f"<p>{CLOSING}</p>"), url=URL)
    assert rules_of(article).get("generic.notice.closing") == [CLOSING]
    assert article.text.endswith("Funding is in place.")


def test_the_same_note_inside_the_body_is_left_to_the_reader():
    body = "".join(f"<p>{MORE} Paragraph {i}.</p>" for i in range(4))
    article = newsclean.clean(page(f"<p>{CLOSING}</p>{body}"), url=URL)
    assert CLOSING in article.text and "generic.notice.closing" not in rules_of(article)


@pytest.mark.parametrize(("line", "rule"), [
    ("Try Harbour Pilot for 40 hours - No Cost, No Obligation.", "generic.line.cta"),
    ("Connect With Us Today!", "generic.line.cta"),
    ("Featured image by Jo Roe/Unsplash.", "generic.line.feature-image"),
    ("Shipping and other factors may cause product pricing to vary at a given link.",
     "generic.line.disclosure"),
    ("Feature image by Quay Outfitters, all other images via the brands mentioned.",
     "generic.line.feature-image"),
])
def test_furniture_lines_of_round_five(line, rule):
    article = newsclean.clean_text(f"{PROSE}\n{line}\n{MORE}")
    assert rules_of(article) == {rule: [line]}


@pytest.mark.parametrize("line", [
    "Harbour Trust is a nonprofit organization with 80 volunteers along the coast.",
    "Harbour Trust is built by sailors like you. Add your harbour",
])
def test_the_site_describing_itself_goes_only_under_its_own_name(line):
    own = newsclean.clean_text(f"{PROSE}\n{line}\n{MORE}", site_name="Harbour Trust")
    assert line not in own.text and PROSE in own.text and MORE in own.text
    other = newsclean.clean_text(f"{PROSE}\n{line}\n{MORE}", site_name="Quay Times")
    assert line in other.text


@pytest.mark.parametrize(("middle", "rule", "gone"), [
    # XenForo 2's site notices above a thread
    ('<ul class="notices notices--block"><li class="notice js-notice"><div class="notice-content">'
     "Scam alert. Members are reminded to never send money to strangers.</div></li></ul>",
     "generic.node.site-notice", "Scam alert"),
    # a landing page's testimonial: the quote, the name and the title
    ('<div class="review-card"><p>Very good harbour software, the vendor improves it every day.</p>'
     '<p class="testimonial_client">Jo Roe / Harbour Master</p></div>',
     "generic.token.testimonial", "Jo Roe"),
    ('<div class="wt-popover"><p>Picks are chosen by our staff from the best stalls.</p></div>',
     "generic.token.popover", "Picks are chosen"),
    ('<dl class="d-none"><dd>Harbour mug, blue</dd></dl>', "generic.node.hidden-class", "Harbour mug"),
])
def test_boxes_that_are_not_the_article_go_by_their_structure(middle, rule, gone):
    article = newsclean.clean(page(middle), url=URL)
    assert gone not in article.text
    assert rule in rules_of(article)
    assert PROSE in article.text and MORE in article.text


def test_an_element_hidden_only_on_small_screens_stays():
    middle = '<div class="d-none d-md-block"><p>The quay opens to walkers on Sundays from May.</p></div>'
    assert "The quay opens to walkers" in newsclean.clean(page(middle), url=URL).text
