"""What the listing pages tell search engines and sharing cards about themselves.

schema.org JSON-LD for the home page (WebSite, with the search as a
SearchAction), the lists and landing pages (CollectionPage, listing the
page's publications) and author pages (ProfilePage about a Person), all
published by the Organization of usip_cms.site.publisher(). Built from what
the views have already loaded: no queries.
"""

from django.conf import settings
from django.urls import reverse

from usip_cms.site import absolute_url, publisher


def website():
    """The site itself, with its search: the home page's JSON-LD."""
    home = settings.SITE_URL + "/"
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": home,
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute_url(reverse("publications:list"))
                + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def collection_page(name, description, url, articles):
    """A list or landing page: its name, address and the publications it shows."""
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL + "/",
        },
        "publisher": publisher(),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": absolute_url(article.get_absolute_url()),
                    "name": article.title,
                }
                for position, article in enumerate(articles, start=1)
            ],
        },
    }
    if url:
        data["url"] = url
    return data


def profile_page(author, url, description):
    """An author's page: a ProfilePage whose main entity is the Person."""
    person = {
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
        "worksFor": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if author.role:
        person["description"] = author.author_line
    if author.portrait_renditions:
        person["image"] = absolute_url(author.portrait_fallback["url"])
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "name": author.name,
        "description": description,
        "mainEntity": person,
        "publisher": publisher(),
    }
    if url:
        data["url"] = url
    return data
