"""Uploaded files are cached for a year: their names change whenever they do.

Photos, portraits and their renditions are stored under random names, new
each time an image is replaced (articles/images.py), so a file at a given
address never changes: browsers and CDNs may keep it a year without asking
again ("immutable"), and a replaced photo is fetched at its new address.
"""

import functools

IMMUTABLE = "public, max-age=31536000, immutable"


def immutable(view):
    """The media view, its files sent with Cache-Control: IMMUTABLE."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["Cache-Control"] = IMMUTABLE
        return response

    return wrapped
