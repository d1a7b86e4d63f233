"""schema.org JSON-LD for public pages, built from the same objects the templates show."""

from django.conf import settings


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL.rstrip("/") + path


def person(speaker, request):
    data = {
        "@type": "Person",
        "name": speaker.name,
        "url": absolute(request, speaker.get_absolute_url()),
        "alternateName": [alias.name for alias in speaker.aliases.all()],
    }
    if speaker.wikidata_id:
        data["sameAs"] = [speaker.wikidata_url]
    affiliations = speaker.affiliations_on(None)
    if affiliations:
        data["jobTitle"] = affiliations[0].title
        data["worksFor"] = [{"@type": "Organization", "name": a.organization.name} for a in affiliations]
    return data


def speaker_page(speaker, request):
    return {"@context": "https://schema.org", **person(speaker, request)}


def event_page(event, request):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": str(event),
        "alternateName": event.short_name,
        "url": absolute(request, event.get_absolute_url()),
        "location": {"@type": "Place", "name": ", ".join(filter(None, [event.city, event.country]))},
    }
    if event.starts_on:
        data["startDate"] = event.starts_on.isoformat()
    if event.ends_on:
        data["endDate"] = event.ends_on.isoformat()
    return data


def coverage_page(coverage, request):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": coverage.title,
        "description": coverage.dek,
        "url": absolute(request, coverage.get_absolute_url()),
        "inLanguage": coverage.language,
        "about": {"@type": "Event", "name": coverage.dialogue.title},
        "keywords": [topic.name for topic in coverage.topics.all()],
    }
    # First publication never moves; "modified" is the last change readers saw (the article
    # view's ``last_visible_change``), not every save.
    first = coverage.first_published
    if first:
        data["datePublished"] = first.isoformat()
    modified = getattr(coverage, "last_visible_change", None) or first or coverage.updated_at
    data["dateModified"] = modified.isoformat()
    if coverage.author:
        data["author"] = {"@type": "Person", "name": coverage.author}
    if coverage.source_publication:
        data["publisher"] = {"@type": "Organization", "name": coverage.source_publication}
    if coverage.translated_from:
        data["translationOfWork"] = {"@type": "CreativeWork", "inLanguage": coverage.translated_from}
    if coverage.copyright_notice:
        data["copyrightNotice"] = coverage.copyright_notice
    return data


def quotation(quote, request):
    return {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": quote.text,
        "url": absolute(request, quote.get_absolute_url()),
        "spokenByCharacter": [person(s, request) for s in quote.speakers.all()],
        "isPartOf": {
            "@type": "NewsArticle",
            "headline": quote.coverage.title,
            "url": absolute(request, quote.coverage.get_absolute_url()),
        },
    }


def claim(claim_obj, request):
    url = absolute(request, claim_obj.get_absolute_url())
    # The publication's own claims name it when the coverage does; an unnamed one is no author
    # (not an organization called "The publication").
    publication = claim_obj.coverage.source_publication
    authors = [person(s, request) for s in claim_obj.speakers.all()] or (
        [{"@type": "Organization", "name": publication}] if publication else []
    )
    authored = {"author": authors} if authors else {}
    data = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "text": claim_obj.statement,
        "url": url,
        **authored,
        "appearance": {
            "@type": "NewsArticle",
            "headline": claim_obj.coverage.title,
            "url": absolute(request, claim_obj.coverage.get_absolute_url()),
        },
    }
    if claim_obj.checked_on:
        # A checked claim is reviewed: ClaimReview is what fact-check readers and engines look for.
        return [
            data,
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": url,
                "claimReviewed": claim_obj.statement,
                "datePublished": claim_obj.checked_on.isoformat(),
                "author": {"@type": "Organization", "name": settings.SITE_NAME},
                "reviewRating": {"@type": "Rating", "alternateName": claim_obj.get_status_display()},
                "itemReviewed": {"@type": "Claim", "text": claim_obj.statement, **authored},
            },
        ]
    return data
